package dev.signet.sms.dispatch;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.SmsChannel;
import dev.signet.platform.kafka.RecordTraces;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.domain.SendRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Consumes requested challenges in batches (one poll) and starts every attempt of the batch at
 * once, the attempts of one challenge in their order. The listener thread waits only until each
 * attempt is claimed (the first phase of {@link DispatchService#claim}), so offsets are committed
 * only after the claims, and a redelivery never sends twice; the provider calls and the recorded
 * outcomes carry on while the next poll's events are already being claimed, so an event never waits
 * for the slowest send of the batch before it. At most {@code dispatch-concurrency} attempts are in
 * flight (claimed, outcome not yet recorded) across the listener threads: at the limit the listener
 * waits, which pauses consumption instead of piling up work behind a slow provider, as does waiting
 * for the provider rate before a claim. A record that cannot be deserialised (a poison pill) ends
 * the batch before it: the error handler sends it to the dead-letter topic without retries and the
 * records after it are delivered again.
 */
@Component
class ChallengeRequestedListener {

  private static final Logger log = LoggerFactory.getLogger(ChallengeRequestedListener.class);

  private static final LogAccessor LOG_ACCESSOR = new LogAccessor(ChallengeRequestedListener.class);

  private final DispatchService dispatch;
  private final RecordTraces traces;
  private final Duration wait;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final Timer arrival;

  ChallengeRequestedListener(
      DispatchService dispatch,
      DispatcherProperties properties,
      MeterRegistry meters,
      ObjectProvider<RecordTraces> traces) {
    this.dispatch = dispatch;
    this.traces = traces.getIfAvailable(RecordTraces::none);
    this.arrival =
        Timer.builder("signet.sms.dispatch.arrival")
            .description(
                "From a requested event's record timestamp (its producer's clock) to its arrival in"
                    + " the dispatcher's listener: the Kafka hop and any consumer lag")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(meters);
    // Retries end at the send deadline; the last call may still take its timeout, twice over; a
    // full batch may also wait for its share of the provider rate.
    this.wait =
        properties
            .sendDeadline()
            .plus(properties.vonageTimeout().multipliedBy(2))
            .plusSeconds(10 + MAX_POLL_RECORDS / properties.providerRatePerSecond());
    this.maxInFlight = properties.dispatchConcurrency();
    this.inFlight = new Semaphore(maxInFlight);
    Gauge.builder("signet.sms.dispatch.in.flight", () -> maxInFlight - inFlight.availablePermits())
        .description("Send attempts claimed whose outcome is not recorded yet")
        .register(meters);
  }

  /** Matches {@code max.poll.records} in application.yml; bounds the time one batch may take. */
  static final int MAX_POLL_RECORDS = 500;

  @KafkaListener(
      id = "challenge-requested",
      idIsGroup = false,
      batch = "true",
      topics = "#{T(dev.signet.events.Topics).CHALLENGE_REQUESTED.name()}")
  void onRequested(List<ConsumerRecord<String, Object>> records) throws InterruptedException {
    long received = System.nanoTime();
    Batch batch = decode(records, System.currentTimeMillis());
    Map<String, List<Indexed>> byChallenge = batch.byChallenge();
    List<Integer> failed = new CopyOnWriteArrayList<>();
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> claimed = new ArrayList<>();
    long giveUp = System.nanoTime() + wait.toNanos();
    for (List<Indexed> attempts : byChallenge.values()) {
      // One permit per challenge of the batch, held until its last attempt's outcome is recorded.
      if (!inFlight.tryAcquire(Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        failed.add(attempts.get(0).index());
        causes.add(new TimeoutException("no room for another send attempt within " + wait));
        break;
      }
      claimed.add(
          chain(attempts, 0, received)
              .onErrorResume(
                  e -> {
                    inFlight.release();
                    failed.add(e instanceof AttemptFailed a ? a.index : attempts.get(0).index());
                    causes.add(e instanceof AttemptFailed a ? a.getCause() : e);
                    return Mono.empty();
                  })
              .toFuture());
    }
    try {
      CompletableFuture.allOf(claimed.toArray(CompletableFuture[]::new))
          .get(Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("send attempts of the batch were not claimed in time", e);
    }
    if (!failed.isEmpty()) {
      int first = failed.stream().min(Integer::compare).orElseThrow();
      Throwable cause = causes.get(failed.indexOf(first));
      log.warn(
          "send attempt could not be processed, retrying from it partition={} offset={} reason={}",
          records.get(first).partition(),
          records.get(first).offset(),
          cause.toString());
      // Records before it are claimed and committed; it and those after it come again (attempts
      // already claimed are found claimed and not sent twice).
      throw new BatchListenerFailedException("send attempt failed", cause, first);
    }
    if (batch.poison() >= 0) {
      throw new BatchListenerFailedException(
          "undecodable record", batch.poisonCause(), batch.poison());
    }
  }

  /**
   * The batch's attempts grouped by challenge, in order, up to the first record that is not a
   * requested event ({@code poison}, -1 when there is none).
   */
  private record Batch(
      Map<String, List<Indexed>> byChallenge, int poison, DeserializationException poisonCause) {}

  private Batch decode(List<ConsumerRecord<String, Object>> records, long receivedMillis) {
    Map<String, List<Indexed>> byChallenge = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, Object> record = records.get(i);
      DeserializationException failure =
          SerializationUtils.getExceptionFromHeader(
              record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
      if (failure != null || !(record.value() instanceof ChallengeRequested event)) {
        return new Batch(
            byChallenge,
            i,
            failure != null
                ? failure
                : new DeserializationException(
                    "not a ChallengeRequested: "
                        + (record.value() == null ? "null" : record.value().getClass().getName()),
                    null,
                    false,
                    null));
      }
      arrival.record(Math.max(0, receivedMillis - record.timestamp()), TimeUnit.MILLISECONDS);
      byChallenge
          .computeIfAbsent(event.getChallengeId(), k -> new ArrayList<>())
          .add(new Indexed(i, event, record));
    }
    return new Batch(byChallenge, -1, null);
  }

  /**
   * Claims attempt {@code i} of one challenge; completes once it is claimed, its second phase then
   * running on its own. An earlier attempt of the same challenge finishes entirely before the next
   * one is claimed, so a challenge's messages go out in order. The challenge's permit is released
   * when its last attempt is done, whatever the outcome.
   */
  private Mono<Void> chain(List<Indexed> attempts, int i, long received) {
    Indexed indexed = attempts.get(i);
    boolean last = i == attempts.size() - 1;
    // The attempt runs in a consumer span continuing the challenge's trace (record headers); the
    // second phase, subscribed on its own below, takes the span along in its context.
    Mono<Void> attempt =
        Mono.defer(() -> dispatch.claim(toRequest(indexed.event()), received))
            // Never without a second phase, so the permit is always released.
            .defaultIfEmpty(Mono.empty())
            .onErrorMap(e -> new AttemptFailed(indexed.index(), e))
            .flatMap(
                rest -> {
                  if (!last) {
                    return rest.onErrorMap(e -> new AttemptFailed(indexed.index(), e))
                        .then(Mono.defer(() -> chain(attempts, i + 1, received)));
                  }
                  return Mono.deferContextual(
                      context -> {
                        rest.doFinally(signal -> inFlight.release())
                            .contextWrite(context)
                            .subscribe(
                                done -> {},
                                e ->
                                    // The claim stays; the stale-claim sweep resolves it (never
                                    // sent
                                    // twice).
                                    log.warn(
                                        "send attempt not finished, its claim is left to the"
                                            + " stale-claim sweep challengeId={} attempt={} reason={}",
                                        indexed.event().getChallengeId(),
                                        indexed.event().getAttempt(),
                                        e.toString()));
                        return Mono.<Void>empty();
                      });
                });
    return traces.received(indexed.record(), "challenge-requested", attempt);
  }

  /** Waits, on shutdown, for the attempts in flight to record their outcomes. */
  @PreDestroy
  void drain() throws InterruptedException {
    if (!inFlight.tryAcquire(maxInFlight, wait.toSeconds(), TimeUnit.SECONDS)) {
      log.warn(
          "stopping with send attempts in flight inFlight={}",
          maxInFlight - inFlight.availablePermits());
    }
  }

  /** A failure of the attempt at {@code index} of the batch. */
  private static final class AttemptFailed extends RuntimeException {
    private final int index;

    AttemptFailed(int index, Throwable cause) {
      super(cause.toString(), cause, false, false);
      this.index = index;
    }
  }

  private record Indexed(int index, ChallengeRequested event, ConsumerRecord<?, ?> record) {}

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
        event.getChannel() == SmsChannel.WHATSAPP ? Channel.WHATSAPP : Channel.SMS,
        event.getAction(),
        event.getUserId(),
        event.getLocale(),
        event.getOccurredAt(),
        event.getExpiresAt(),
        event.getSealKeyId(),
        toArray(event.getSealedCode()),
        event.getTestNumber(),
        event.getSealVersion(),
        event.getChannel().name());
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
