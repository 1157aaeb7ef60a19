package dev.signet.platform.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import reactor.core.publisher.Mono;

/**
 * Consumer spans for records the listener containers' own observation does not cover: records of a
 * batch listener, or of a hand-written consumer. Each continues the trace whose context its
 * producer put in the record's headers, under the same name and tags as a container's span.
 */
public final class RecordTraces {

  private static final RecordTraces NONE = new RecordTraces(ObservationRegistry.NOOP);

  private final ObservationRegistry observations;

  public RecordTraces(ObservationRegistry observations) {
    this.observations = observations;
  }

  /** Spans that record nothing, where tracing is absent. */
  public static RecordTraces none() {
    return NONE;
  }

  /**
   * Runs {@code work} in a consumer span of {@code record}: the span is current in the work's
   * Reactor context (so MongoDB commands, outbox events and sends made by the work join the trace)
   * and ends when the work does.
   */
  public <T> Mono<T> received(ConsumerRecord<?, ?> record, String listenerId, Mono<T> work) {
    return Mono.defer(
        () -> {
          Observation observation = observation(record, listenerId).start();
          return work.doOnError(observation::error)
              .doFinally(signal -> observation.stop())
              .contextWrite(
                  context -> context.put(ObservationThreadLocalAccessor.KEY, observation));
        });
  }

  /** A consumer span of {@code record} for work already done (one that spawned nothing traced). */
  public void received(ConsumerRecord<?, ?> record, String listenerId) {
    observation(record, listenerId).start().stop();
  }

  /**
   * The trace id in the record's W3C {@code traceparent} header, whether or not the trace was
   * sampled; null when the record carries none (or a malformed one).
   */
  public static String traceId(ConsumerRecord<?, ?> record) {
    Header header = record.headers().lastHeader("traceparent");
    if (header == null || header.value() == null) {
      return null;
    }
    String traceparent = new String(header.value(), StandardCharsets.US_ASCII);
    // version "-" trace id (32 hex) "-" parent id (16 hex) "-" flags
    if (traceparent.length() < 55
        || traceparent.charAt(2) != '-'
        || traceparent.charAt(35) != '-') {
      return null;
    }
    String traceId = traceparent.substring(3, 35);
    return traceId.chars().allMatch(c -> Character.digit(c, 16) >= 0 && !Character.isUpperCase(c))
            && !traceId.chars().allMatch(c -> c == '0')
        ? traceId
        : null;
  }

  private Observation observation(ConsumerRecord<?, ?> record, String listenerId) {
    return KafkaListenerObservation.LISTENER_OBSERVATION.observation(
        null,
        KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
        () -> new KafkaRecordReceiverContext(record, listenerId, listenerId, listenerId, () -> ""),
        observations);
  }
}
