package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
    ProviderGuard guard = new ProviderGuard(properties(10, 20, 10, Duration.ofSeconds(10)));
    AtomicInteger calls = new AtomicInteger();

    long started = System.nanoTime();
    List<ProviderOutcome> outcomes =
        Flux.range(0, 30)
            .flatMap(
                i ->
                    guard.call(
                        () ->
                            Mono.fromCallable(
                                () -> {
                                  calls.incrementAndGet();
                                  return ACCEPTED;
                                })))
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
    ProviderGuard guard = new ProviderGuard(properties(1000, 4, 4, Duration.ofHours(1)));
    AtomicInteger calls = new AtomicInteger();

    for (int i = 0; i < 4; i++) {
      guard
          .call(
              () ->
                  Mono.fromCallable(
                      () -> {
                        calls.incrementAndGet();
                        return DOWN;
                      }))
          .block();
    }
    ProviderOutcome next =
        guard
            .call(
                () ->
                    Mono.fromCallable(
                        () -> {
                          calls.incrementAndGet();
                          return ACCEPTED;
                        }))
            .block();

    assertThat(guard.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
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
    ProviderGuard throttled = new ProviderGuard(properties(1000, 4, 4, Duration.ofHours(1)));
    for (int i = 0; i < 8; i++) {
      throttled.call(() -> Mono.just(THROTTLED)).block();
    }
    assertThat(throttled.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);

    ProviderGuard recovering = new ProviderGuard(properties(1000, 4, 4, Duration.ofMillis(200)));
    for (int i = 0; i < 4; i++) {
      recovering.call(() -> Mono.just(DOWN)).block();
    }
    assertThat(recovering.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> recovering.call(() -> Mono.just(ACCEPTED)).block() == ACCEPTED);
    assertThat(recovering.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
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
