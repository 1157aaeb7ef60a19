package dev.signet.platform.tracing;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import reactor.core.publisher.Mono;

/**
 * A client span around a call no instrumentation sees (an SDK with its own HTTP client): a child of
 * the span current in the caller's Reactor context, named for the remote service, tagged only with
 * what the caller passes. The SDK's request carries no trace context; the span still shows where
 * the time went.
 */
public final class ClientSpans {

  private ClientSpans() {}

  /** Runs {@code call} inside a client span {@code name} towards {@code remoteService}. */
  public static <T> Mono<T> around(
      ObservationRegistry observations,
      String name,
      String remoteService,
      KeyValues tags,
      Mono<T> call) {
    return Mono.deferContextual(
        reactorContext -> {
          SenderContext<Object> context =
              new SenderContext<>((carrier, key, value) -> {}, Kind.CLIENT);
          context.setCarrier(new Object());
          context.setRemoteServiceName(remoteService);
          Observation parent =
              reactorContext.getOrDefault(
                  ObservationThreadLocalAccessor.KEY, observations.getCurrentObservation());
          Observation observation =
              Observation.createNotStarted(name, () -> context, observations)
                  .parentObservation(parent)
                  .contextualName(name)
                  .lowCardinalityKeyValues(tags)
                  .start();
          return call.doOnError(observation::error)
              .doFinally(signal -> observation.stop())
              .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, observation));
        });
  }
}
