package dev.signet.sms.dispatch;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.config.TwilioProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RoutingProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What stands between the dispatcher and the providers: a token bucket per provider account that
 * keeps this instance under the account's request rate by waiting (the listener waits with it, so
 * consumption pauses and nothing is dropped), and a circuit breaker per route that stops calling a
 * route that keeps failing with 5xx, I/O errors or timeouts. Throttling and permanent rejections do
 * not open a circuit: the provider answered. While a route's circuit is open, calls on it fail at
 * once with {@code CIRCUIT_OPEN} (the attempt moves on to its next route); after {@code
 * circuit-open-for} a few trial calls ({@code routing.half-open-calls}) decide whether it closes.
 * The breakers are exported as {@code resilience4j_circuitbreaker_state{name=<route>}}.
 */
@Component
class ProviderGuard {

  private static final Logger log = LoggerFactory.getLogger(ProviderGuard.class);

  private final Map<String, Bucket> buckets;
  private final CircuitBreakerRegistry breakers;

  ProviderGuard(
      DispatcherProperties properties,
      TwilioProperties twilio,
      RoutingProperties routing,
      MeterRegistry meters) {
    this.buckets =
        Map.of(
            "vonage", bucket(properties.providerRatePerSecond()),
            "twilio", bucket(twilio.ratePerSecond()));
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.circuitWindow())
                .minimumNumberOfCalls(properties.circuitMinimumCalls())
                .failureRateThreshold(properties.circuitFailureRatePercent())
                .waitDurationInOpenState(properties.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(routing.halfOpenCalls())
                .build());
    breakers
        .getEventPublisher()
        .onEntryAdded(
            added ->
                added
                    .getAddedEntry()
                    .getEventPublisher()
                    .onStateTransition(
                        event ->
                            log.warn(
                                "provider circuit route={} {} -> {}",
                                event.getCircuitBreakerName(),
                                event.getStateTransition().getFromState(),
                                event.getStateTransition().getToState())));
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
  }

  private static Bucket bucket(int rate) {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder().capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)).build())
        .build();
  }

  /**
   * Runs one provider call on {@code route} within its circuit breaker, and within its provider's
   * rate limit unless the caller already holds a token ({@link #acquire} before the claim). An open
   * circuit answers {@code CIRCUIT_OPEN} without a call and without taking a token.
   */
  Mono<ProviderOutcome> call(Route route, Supplier<Mono<ProviderOutcome>> call, boolean tokenHeld) {
    CircuitBreaker breaker = breaker(route);
    return Mono.defer(
        () -> {
          if (!breaker.tryAcquirePermission()) {
            return Mono.just(
                new ProviderOutcome.Failed(
                    FailureReason.CIRCUIT_OPEN,
                    true,
                    null,
                    "circuit of route " + route.id() + " open after repeated failures"));
          }
          return (tokenHeld ? Mono.<Void>empty() : acquire(route))
              .then(
                  Mono.defer(
                      () -> {
                        long started = System.nanoTime();
                        return call.get()
                            .doOnNext(
                                outcome -> record(breaker, outcome, System.nanoTime() - started));
                      }))
              .doOnCancel(breaker::releasePermission);
        });
  }

  CircuitBreaker.State circuitState(Route route) {
    return breaker(route).getState();
  }

  private CircuitBreaker breaker(Route route) {
    return breakers.circuitBreaker(route.id());
  }

  private static void record(CircuitBreaker breaker, ProviderOutcome outcome, long nanos) {
    if (outcome instanceof ProviderOutcome.Failed failed
        && (failed.reason() == FailureReason.PROVIDER_ERROR
            || failed.reason() == FailureReason.TIMEOUT)) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, new ProviderDown(failed.reason()));
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Waits for a token of the route's provider account without blocking a thread. */
  Mono<Void> acquire(Route route) {
    Bucket bucket = buckets.get(route.kind().provider());
    return Mono.defer(
        () -> {
          ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
          if (probe.isConsumed()) {
            return Mono.empty();
          }
          return Mono.delay(Duration.ofNanos(probe.getNanosToWaitForRefill())).then(acquire(route));
        });
  }

  /** The failure a circuit breaker counts; never thrown. */
  private static final class ProviderDown extends RuntimeException {
    ProviderDown(FailureReason reason) {
      super(reason.name(), null, false, false);
    }
  }
}
