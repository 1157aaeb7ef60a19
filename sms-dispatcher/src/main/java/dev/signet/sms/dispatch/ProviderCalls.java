package dev.signet.sms.dispatch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The provider calls of one attempt: transient failures are retried with jittered exponential
 * back-off until the attempt's deadline, which never reaches past the code's expiry; permanent
 * rejections end the attempt at once. Every call goes through the provider guard (rate and circuit
 * breaker).
 */
@Component
class ProviderCalls {

  private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

  /** A send attempt after its provider calls. */
  record Attempted(ProviderOutcome outcome, int providerAttempts) {}

  private final SmsSender sender;
  private final ProviderGuard guard;
  private final DispatcherProperties properties;
  private final Clock clock;
  private final RandomGenerator random;
  private final Timer handoff;

  ProviderCalls(
      SmsSender sender,
      ProviderGuard guard,
      DispatcherProperties properties,
      Clock clock,
      RandomGenerator random,
      MeterRegistry meters) {
    this.sender = sender;
    this.guard = guard;
    this.properties = properties;
    this.clock = clock;
    this.random = random;
    this.handoff =
        Timer.builder("signet.sms.dispatch.handoff")
            .description(
                "From the requested event's arrival in the dispatcher to the start of its first"
                    + " provider call (claim, guard counters, code opening, thread hand-off)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(meters);
  }

  Mono<Attempted> sendWithRetries(
      SendRequest request, String text, Instant deadline, long receivedNanos) {
    return call(
        request,
        deadline,
        1,
        properties.retryInitialBackoff(),
        callNumber ->
            guard.call(
                () ->
                    sender.send(
                        request.phoneNumber(),
                        text,
                        request.attemptId(),
                        request.channel(),
                        request.countryCode(),
                        callNumber == 1
                            ? () -> handoff.record(System.nanoTime() - receivedNanos, NANOSECONDS)
                            : () -> {}),
                callNumber == 1));
  }

  Mono<Attempted> call(
      SendRequest request,
      Instant deadline,
      int callNumber,
      Duration backoff,
      IntFunction<Mono<ProviderOutcome>> provider) {
    return provider
        .apply(callNumber)
        .flatMap(
            outcome -> {
              if (!(outcome instanceof ProviderOutcome.Failed failed) || !failed.retryable()) {
                return Mono.just(new Attempted(outcome, callNumber));
              }
              Duration wait = jitter(backoff);
              if (!clock.instant().plus(wait).isBefore(deadline)) {
                return Mono.just(
                    new Attempted(
                        new ProviderOutcome.Failed(
                            FailureReason.DEADLINE_EXCEEDED,
                            true,
                            failed.providerStatus(),
                            failed.reason() + " until the send deadline: " + failed.detail()),
                        callNumber));
              }
              log.info(
                  "provider call failed, retrying challengeId={} attempt={} call={} reason={}"
                      + " detail={} backoffMs={}",
                  request.challengeId(),
                  request.attempt(),
                  callNumber,
                  failed.reason(),
                  failed.detail(),
                  wait.toMillis());
              Duration next = min(backoff.multipliedBy(2), properties.retryMaxBackoff());
              return Mono.delay(wait)
                  .then(Mono.defer(() -> call(request, deadline, callNumber + 1, next, provider)));
            });
  }

  /** Half the back-off plus a random share of the other half, so retries do not synchronise. */
  private Duration jitter(Duration backoff) {
    long millis = Math.max(1, backoff.toMillis());
    return Duration.ofMillis(millis / 2 + random.nextLong(millis / 2 + 1));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
