package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.config.TwilioProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RouteKind;
import dev.signet.sms.routing.RoutingProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ProviderGuardTest {

  private static final ProviderOutcome ACCEPTED =
      new ProviderOutcome.Accepted(List.of("m-1"), null, null, 1);
  private static final ProviderOutcome DOWN =
      new ProviderOutcome.Failed(FailureReason.PROVIDER_ERROR, true, "500", "HTTP 500");
  private static final ProviderOutcome THROTTLED =
      new ProviderOutcome.Failed(FailureReason.THROTTLED, true, "1", "throttled");

  @Test
  void theTokenBucketDelaysCallsBeyondTheRateAndDropsNone() {
    ProviderGuard guard = guard(properties(10, 20, 10, Duration.ofSeconds(10)));
    AtomicInteger calls = new AtomicInteger();

    long started = System.nanoTime();
    List<ProviderOutcome> outcomes =
        Flux.range(0, 30)
            .flatMap(
                i ->
                    guard.call(
                        VONAGE,
                        () ->
                            Mono.fromCallable(
                                () -> {
                                  calls.incrementAndGet();
                                  return ACCEPTED;
                                }),
                        false))
            .collectList()
            .block(Duration.ofSeconds(10));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    // 10 at once from the full bucket, then 10 per second: the last 20 need about two seconds.
    assertThat(outcomes).hasSize(30).allMatch(o -> o == ACCEPTED);
    assertThat(calls).hasValue(30);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(1_700);
  }

  @Test
  void repeatedProviderFailuresOpenTheCircuitAndLaterCallsFailWithoutReachingTheProvider() {
    ProviderGuard guard = guard(properties(1000, 4, 4, Duration.ofHours(1)));
    AtomicInteger calls = new AtomicInteger();

    for (int i = 0; i < 4; i++) {
      guard
          .call(
              VONAGE,
              () ->
                  Mono.fromCallable(
                      () -> {
                        calls.incrementAndGet();
                        return DOWN;
                      }),
              false)
          .block();
    }
    ProviderOutcome next =
        guard
            .call(
                VONAGE,
                () ->
                    Mono.fromCallable(
                        () -> {
                          calls.incrementAndGet();
                          return ACCEPTED;
                        }),
                false)
            .block();

    assertThat(guard.circuitState(VONAGE)).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(next)
        .isInstanceOfSatisfying(
            ProviderOutcome.Failed.class,
            failed -> {
              assertThat(failed.reason()).isEqualTo(FailureReason.CIRCUIT_OPEN);
              assertThat(failed.retryable()).isTrue();
            });
    assertThat(calls).hasValue(4);
  }

  @Test
  void throttlingDoesNotOpenTheCircuitAndTheCircuitClosesAgainAfterASuccessfulTrial() {
    ProviderGuard throttled = guard(properties(1000, 4, 4, Duration.ofHours(1)));
    for (int i = 0; i < 8; i++) {
      throttled.call(VONAGE, () -> Mono.just(THROTTLED), false).block();
    }
    assertThat(throttled.circuitState(VONAGE)).isEqualTo(CircuitBreaker.State.CLOSED);

    ProviderGuard recovering = guard(properties(1000, 4, 4, Duration.ofMillis(200)));
    for (int i = 0; i < 4; i++) {
      recovering.call(VONAGE, () -> Mono.just(DOWN), false).block();
    }
    assertThat(recovering.circuitState(VONAGE)).isEqualTo(CircuitBreaker.State.OPEN);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> recovering.call(VONAGE, () -> Mono.just(ACCEPTED), false).block() == ACCEPTED);
    assertThat(recovering.circuitState(VONAGE)).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void anOpenRouteDoesNotHoldBackAnotherRouteAndAHalfOpenRouteLetsOnlyItsTrialCallsThrough() {
    ProviderGuard guard =
        new ProviderGuard(
            properties(1000, 4, 4, Duration.ofMillis(200)),
            TWILIO_SETTINGS,
            new RoutingProperties(8, 2),
            new SimpleMeterRegistry());
    for (int i = 0; i < 4; i++) {
      guard.call(VONAGE, () -> Mono.just(DOWN), false).block();
    }
    assertThat(guard.circuitState(VONAGE)).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(guard.call(TWILIO, () -> Mono.just(ACCEPTED), false).block()).isEqualTo(ACCEPTED);
    assertThat(guard.circuitState(TWILIO)).isEqualTo(CircuitBreaker.State.CLOSED);

    // After the open period, two trial calls are let through while they are in flight; others
    // are skipped as if the circuit were still open.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> guard.call(VONAGE, () -> Mono.just(ACCEPTED), false).block() == ACCEPTED);
    AtomicInteger reached = new AtomicInteger();
    reactor.core.publisher.Sinks.One<ProviderOutcome> held = reactor.core.publisher.Sinks.one();
    List<ProviderOutcome> concurrent = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      guard
          .call(
              VONAGE,
              () -> {
                reached.incrementAndGet();
                return held.asMono();
              },
              false)
          .subscribe(concurrent::add);
    }
    assertThat(reached).hasValue(1);
    assertThat(concurrent)
        .hasSize(4)
        .allMatch(o -> ((ProviderOutcome.Failed) o).reason() == FailureReason.CIRCUIT_OPEN);
    held.tryEmitValue(ACCEPTED);
    assertThat(guard.circuitState(VONAGE)).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  private static final Route VONAGE = new Route(RouteKind.VONAGE_SMS, null, 100);
  private static final Route TWILIO = new Route(RouteKind.TWILIO_MESSAGING, null, 0);
  private static final TwilioProperties TWILIO_SETTINGS =
      new TwilioProperties(null, null, null, null, null, null, null);

  private static ProviderGuard guard(DispatcherProperties properties) {
    return new ProviderGuard(
        properties, TWILIO_SETTINGS, new RoutingProperties(8, 1), new SimpleMeterRegistry());
  }

  private static DispatcherProperties properties(
      int rate, int window, int minimumCalls, Duration openFor) {
    return new DispatcherProperties(
        null,
        "key",
        "secret",
        null,
        null,
        "k1:x",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        rate,
        window,
        minimumCalls,
        50,
        openFor,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        null);
  }
}
