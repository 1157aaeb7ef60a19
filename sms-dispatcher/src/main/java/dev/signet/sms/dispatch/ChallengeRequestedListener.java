package dev.signet.sms.dispatch;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.SmsChannel;
import dev.signet.sms.config.DispatcherProperties;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Consumes requested challenges in batches (one poll) and hands each to the {@link
 * DispatchService}, up to {@code dispatch-concurrency} attempts at once per listener thread;
 * attempts of one challenge stay in their order. The listener thread waits until every attempt of
 * the batch is recorded, so offsets are committed only after them and a slow provider pauses
 * consumption instead of piling up work. A record that cannot be deserialised (a poison pill) ends
 * the batch before it: the error handler sends it to the dead-letter topic without retries and the
 * records after it are delivered again.
 */
@Component
class ChallengeRequestedListener {

  private static final Logger log = LoggerFactory.getLogger(ChallengeRequestedListener.class);

  private static final LogAccessor LOG_ACCESSOR = new LogAccessor(ChallengeRequestedListener.class);

  private final DispatchService dispatch;
  private final Duration wait;
  private final int concurrency;

  ChallengeRequestedListener(DispatchService dispatch, DispatcherProperties properties) {
    this.dispatch = dispatch;
    // Retries end at the send deadline; the last call may still take its timeout, twice over; a
    // full batch may also wait for its share of the provider rate.
    this.wait =
        properties
            .sendDeadline()
            .plus(properties.vonageTimeout().multipliedBy(2))
            .plusSeconds(10 + MAX_POLL_RECORDS / properties.providerRatePerSecond());
    this.concurrency = properties.dispatchConcurrency();
  }

  /** Matches {@code max.poll.records} in application.yml; bounds the time one batch may take. */
  static final int MAX_POLL_RECORDS = 500;

  @KafkaListener(
      id = "challenge-requested",
      idIsGroup = false,
      batch = "true",
      topics = "#{T(dev.signet.events.Topics).CHALLENGE_REQUESTED.name()}")
  void onRequested(List<ConsumerRecord<String, Object>> records) {
    int poison = -1;
    DeserializationException poisonCause = null;
    Map<String, List<Indexed>> byChallenge = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, Object> record = records.get(i);
      DeserializationException failure =
          SerializationUtils.getExceptionFromHeader(
              record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
      if (failure != null || !(record.value() instanceof ChallengeRequested event)) {
        poison = i;
        poisonCause =
            failure != null
                ? failure
                : new DeserializationException(
                    "not a ChallengeRequested: "
                        + (record.value() == null ? "null" : record.value().getClass().getName()),
                    null,
                    false,
                    null);
        break;
      }
      byChallenge
          .computeIfAbsent(event.getChallengeId(), k -> new ArrayList<>())
          .add(new Indexed(i, event));
    }
    List<Integer> failed = new CopyOnWriteArrayList<>();
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    Flux.fromIterable(byChallenge.values())
        .flatMap(
            attempts ->
                Flux.fromIterable(attempts)
                    .concatMap(
                        indexed ->
                            Mono.defer(() -> dispatch.dispatch(toRequest(indexed.event())))
                                .onErrorResume(
                                    e -> {
                                      failed.add(indexed.index());
                                      causes.add(e);
                                      return Mono.empty();
                                    })),
            concurrency)
        .then()
        .block(wait);
    if (!failed.isEmpty()) {
      int first = failed.stream().min(Integer::compare).orElseThrow();
      Throwable cause = causes.get(failed.indexOf(first));
      log.warn(
          "send attempt could not be processed, retrying from it partition={} offset={} reason={}",
          records.get(first).partition(),
          records.get(first).offset(),
          cause.toString());
      // Records before it are done and committed; it and those after it come again (attempts
      // already recorded are found claimed and not sent twice).
      throw new BatchListenerFailedException("send attempt failed", cause, first);
    }
    if (poison >= 0) {
      throw new BatchListenerFailedException("undecodable record", poisonCause, poison);
    }
  }

  private record Indexed(int index, ChallengeRequested event) {}

  static SendRequest toRequest(ChallengeRequested event) {
    String correlationId =
        event.getCorrelationId() == null || event.getCorrelationId().isEmpty()
            ? event.getEventId()
            : event.getCorrelationId();
    return new SendRequest(
        event.getEventId(),
        correlationId,
        event.getChallengeId(),
        event.getAttempt(),
        event.getPhoneNumber(),
        event.getPhoneNumberMasked(),
        event.getCountryCode(),
        event.getChannel() == SmsChannel.WHATSAPP ? "WHATSAPP" : "SMS",
        event.getAction(),
        event.getUserId(),
        event.getLocale(),
        event.getOccurredAt(),
        event.getExpiresAt(),
        event.getSealKeyId(),
        toArray(event.getSealedCode()),
        event.getTestNumber());
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
