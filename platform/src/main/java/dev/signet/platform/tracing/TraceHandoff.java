package dev.signet.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Carries a trace across a hop no instrumentation sees: an event stored with the request's state
 * change and published later, maybe by another instance's relay. {@link #current()} captures the
 * active span as a W3C {@code traceparent} to store with the event; {@link #resumed} runs the
 * publish in a span continuing it, so the Kafka producer span and every consumer after it join the
 * request's trace.
 */
public final class TraceHandoff {

  /** The W3C trace context header, the only one stored. */
  public static final String TRACEPARENT = "traceparent";

  private static final TraceHandoff NONE = new TraceHandoff(null, null, ObservationRegistry.NOOP);

  private final Tracer tracer;
  private final Propagator propagator;
  private final ObservationRegistry observations;

  public TraceHandoff(Tracer tracer, Propagator propagator, ObservationRegistry observations) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.observations = observations;
  }

  /** A hand-off that records nothing, where tracing is absent. */
  public static TraceHandoff none() {
    return NONE;
  }

  /** The {@code traceparent} of the current span; null outside any span. */
  public String current() {
    if (tracer == null) {
      return null;
    }
    Span span = tracer.currentSpan();
    if (span == null) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    propagator.inject(span.context(), carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  /**
   * Runs {@code work} (started on this thread, completing later) in a span named {@code name} that
   * continues {@code traceparent}; without one, the work runs untraced rather than as a new trace.
   */
  public <T> CompletableFuture<T> resumed(
      String traceparent, String name, Supplier<CompletableFuture<T>> work) {
    if (traceparent == null || tracer == null) {
      return work.get();
    }
    ReceiverContext<Map<String, String>> context =
        new ReceiverContext<>((carrier, key) -> carrier.get(key), Kind.PRODUCER);
    context.setCarrier(Map.of(TRACEPARENT, traceparent));
    Observation observation =
        Observation.createNotStarted(name, () -> context, observations)
            .contextualName(name)
            .start();
    CompletableFuture<T> result;
    try (Observation.Scope scope = observation.openScope()) {
      result = work.get();
    } catch (RuntimeException e) {
      observation.error(e);
      observation.stop();
      throw e;
    }
    return result.whenComplete(
        (value, error) -> {
          if (error != null) {
            observation.error(error);
          }
          observation.stop();
        });
  }
}
