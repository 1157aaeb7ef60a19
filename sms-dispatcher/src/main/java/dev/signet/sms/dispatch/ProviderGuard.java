package dev.signet.sms.dispatch;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What stands between the dispatcher and the provider: a token bucket that keeps this instance
 * under the account's request rate by waiting (the listener waits with it, so consumption pauses
 * and nothing is dropped), and a circuit breaker that stops calling a provider that keeps failing
 * with 5xx, I/O errors or timeouts. Throttling and permanent rejections do not open the circuit:
 * the provider answered. While the circuit is open, calls fail at once with {@code CIRCUIT_OPEN},
 * which the retry loop treats as transient until the attempt's deadline.
 */
@Component
class ProviderGuard {

  private static final Logger log = LoggerFactory.getLogger(ProviderGuard.class);

  private final Bucket bucket;
  private final CircuitBreaker breaker;

  ProviderGuard(DispatcherProperties properties) {
    int rate = properties.providerRatePerSecond();
    this.bucket =
        Bucket.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(rate)
                    .refillGreedy(rate, Duration.ofSeconds(1))
                    .build())
            .build();
    this.breaker =
        CircuitBreaker.of(
            "vonage",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.circuitWindow())
                .minimumNumberOfCalls(properties.circuitMinimumCalls())
                .failureRateThreshold(properties.circuitFailureRatePercent())
                .waitDurationInOpenState(properties.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    breaker
        .getEventPublisher()
        .onStateTransition(
            event ->
                log.warn(
                    "provider circuit {} -> {}",
                    event.getStateTransition().getFromState(),
                    event.getStateTransition().getToState()));
  }

  /** Runs one provider call within the rate limit and the circuit breaker. */
  Mono<ProviderOutcome> call(Supplier<Mono<ProviderOutcome>> call) {
    return call(call, false);
  }

  /**
   * Runs one provider call within the circuit breaker, and within the rate limit unless the caller
   * already holds a token ({@link #acquire()} before the claim).
   */
  Mono<ProviderOutcome> call(Supplier<Mono<ProviderOutcome>> call, boolean tokenHeld) {
    return (tokenHeld ? Mono.<Void>empty() : acquire())
        .then(
            Mono.defer(
                () -> {
                  if (!breaker.tryAcquirePermission()) {
                    return Mono.just(
                        new ProviderOutcome.Failed(
                            FailureReason.CIRCUIT_OPEN,
                            true,
                            null,
                            "provider circuit open after repeated failures"));
                  }
                  long started = System.nanoTime();
                  return call.get()
                      .doOnNext(outcome -> record(outcome, System.nanoTime() - started))
                      .doOnCancel(breaker::releasePermission);
                }));
  }

  CircuitBreaker.State circuitState() {
    return breaker.getState();
  }

  private void record(ProviderOutcome outcome, long nanos) {
    if (outcome instanceof ProviderOutcome.Failed failed
        && (failed.reason() == FailureReason.PROVIDER_ERROR
            || failed.reason() == FailureReason.TIMEOUT)) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, new ProviderDown(failed.reason()));
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Waits for a token without blocking a thread. */
  Mono<Void> acquire() {
    return Mono.defer(
        () -> {
          ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
          if (probe.isConsumed()) {
            return Mono.empty();
          }
          return Mono.delay(Duration.ofNanos(probe.getNanosToWaitForRefill())).then(acquire());
        });
  }

  /** The failure the circuit breaker counts; never thrown. */
  private static final class ProviderDown extends RuntimeException {
    ProviderDown(FailureReason reason) {
      super(reason.name(), null, false, false);
    }
  }
}
