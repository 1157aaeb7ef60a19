package dev.signet.sms.dispatch;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the delivery-confirmed fallback under {@code signet.sms.fallback}: when an attempt's
 * message has no delivered receipt within its country's window, or a failed receipt arrives, or its
 * outcome is unknown (a crash between claim and answer, a provider call that timed out), the same
 * code is sent once more on the next route.
 *
 * @param window how long a sent message may go without a delivered receipt before the fallback (30
 *     s: most receipts arrive within seconds, and a user waiting longer than this has usually not
 *     got the code); positive
 * @param windows the window per destination region (ISO 3166-1 alpha-2, e.g. {@code GB: 20s}) where
 *     carriers report faster or slower than the default
 * @param maxPerAttempt fallback sends per attempt, at most 3, each on the route after the previous
 *     one (wrapping around: with two routes a second fallback goes through the first again); an
 *     attempt still undelivered a window after its last one is announced out of fallbacks; 0 turns
 *     the fallback off (and with it the reconciliation of unknown outcomes by a second send)
 * @param sweepInterval how often due fallbacks are looked for; positive
 */
@ConfigurationProperties("signet.sms.fallback")
public record FallbackProperties(
    Duration window, Map<String, Duration> windows, Integer maxPerAttempt, Duration sweepInterval) {

  /** The most fallbacks one attempt may have: each is one more message to the user's phone. */
  static final int MAX_FALLBACKS = 3;

  public FallbackProperties {
    window = window == null ? Duration.ofSeconds(30) : window;
    maxPerAttempt = maxPerAttempt == null ? 1 : maxPerAttempt;
    sweepInterval = sweepInterval == null ? Duration.ofSeconds(2) : sweepInterval;
    Map<String, Duration> byRegion = new TreeMap<>();
    if (windows != null) {
      windows.forEach((region, value) -> byRegion.put(region.toUpperCase(Locale.ROOT), value));
    }
    windows = Map.copyOf(byRegion);
    if (maxPerAttempt < 0 || maxPerAttempt > MAX_FALLBACKS) {
      throw new IllegalArgumentException(
          "signet.sms.fallback.max-per-attempt must be between 0 and " + MAX_FALLBACKS);
    }
    for (Duration positive : byRegion.values()) {
      requirePositive(positive, "signet.sms.fallback.windows");
    }
    requirePositive(window, "signet.sms.fallback.window");
    requirePositive(sweepInterval, "signet.sms.fallback.sweep-interval");
  }

  /** Whether attempts get a fallback at all. */
  boolean enabled() {
    return maxPerAttempt > 0;
  }

  /** The window of a destination region: its own, else the default. */
  Duration windowFor(String region) {
    return region == null ? window : windows.getOrDefault(region.toUpperCase(Locale.ROOT), window);
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
