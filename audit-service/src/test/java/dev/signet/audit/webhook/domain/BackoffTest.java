package dev.signet.audit.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff =
      new Backoff(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24));

  @Test
  void doublesFromTheInitialDelayUpToTheCap() {
    assertThat(backoff.delay(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delay(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.delay(7, () -> 0.5)).isEqualTo(Duration.ofSeconds(640));
    assertThat(backoff.delay(9, () -> 0.5)).isEqualTo(Duration.ofSeconds(2560));
    assertThat(backoff.delay(10, () -> 0.5)).isEqualTo(Duration.ofHours(1));
    assertThat(backoff.delay(500, () -> 0.5)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void jitterStaysWithinTwentyPercent() {
    assertThat(backoff.delay(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delay(3, () -> 0.999999))
        .isBetween(Duration.ofMillis(47_999), Duration.ofSeconds(48));
  }

  @Test
  void retriesForTheWholeWindowAndThenStops() {
    // The longest the schedule can take to reach the window: every delay at its shortest.
    Duration elapsed = Duration.ZERO;
    int attempts = 1;
    while (!backoff.exhausted(elapsed)) {
      elapsed = elapsed.plus(backoff.delay(attempts, () -> 0.0));
      attempts++;
    }
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofHours(24));
    assertThat(attempts).isBetween(30, 45);
    assertThat(backoff.exhausted(Duration.ofHours(24).minusSeconds(1))).isFalse();
    assertThat(backoff.exhausted(Duration.ofHours(24))).isTrue();
  }
}
