package dev.signet.audit.webhook.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: {@code initial × 2^(n-1)} after the n-th failed attempt,
 * capped at {@code max}, each delay scaled by a random factor in [0.8, 1.2) so that the deliveries
 * of an outage do not all return in the same second. Deliveries keep being retried until {@code
 * window} has passed since the first attempt (24 hours by default, see docs/limits.md).
 *
 * @param initial the delay after the first failed attempt
 * @param max the longest delay between two attempts
 * @param window how long a delivery is retried before it is marked failed
 */
public record Backoff(Duration initial, Duration max, Duration window) {

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
  }

  /** The delay after the {@code failedAttempts}-th failed attempt (1 for the first). */
  public Duration delay(int failedAttempts, DoubleSupplier random) {
    int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
    long millis = initial.toMillis();
    long capped = max.toMillis();
    for (int i = 0; i < doublings && millis < capped; i++) {
      millis *= 2;
    }
    millis = Math.min(millis, capped);
    double jitter = 0.8 + 0.4 * random.getAsDouble();
    return Duration.ofMillis(Math.max(1, Math.round(millis * jitter)));
  }

  /** Whether a delivery first attempted {@code sinceFirstAttempt} ago is out of retries. */
  public boolean exhausted(Duration sinceFirstAttempt) {
    return sinceFirstAttempt.compareTo(window) >= 0;
  }
}
