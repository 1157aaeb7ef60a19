package dev.signet.rules.config;

import dev.signet.platform.config.CodeList;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The initial SMS send policy ({@code signet.rules.send-policy.*}): stored and published on the
 * first start, when MongoDB holds no policy yet. Afterwards the management API governs it and these
 * settings are ignored. The pumping guards are on by default, with values a real sign-up flow never
 * reaches (docs/limits.md says why each has its value); a count of 0 switches one off.
 *
 * @param allowedCountries ISO 3166-1 alpha-2 regions SMS may go to
 * @param shadowMode report, never refuse or block
 * @param perNumber sends per number per window (0 = off); default {@link #PER_NUMBER}
 * @param perPrefix sends per prefix per window (0 = off); default {@link #PER_PREFIX}
 * @param perCountry sends per region per window (0 = off); default {@link #PER_COUNTRY}
 * @param dailyGlobalBudget sends per UTC day, 0 = unlimited; default {@link #DAILY_GLOBAL_BUDGET}
 * @param minConversionRate conversion below which a region is blocked, 0 = breaker off
 * @param conversionMinVolume sends in the window before the breaker may trip
 * @param conversionWindow the breaker's sliding window
 * @param autoBlockDuration how long an automatic block lasts
 * @param relayInterval how often the stored policy is checked for a version a failed send left
 *     unpublished (default 5 s; unlike the settings above, read on every start); 0 is refused
 *     <p>What 0 means: for a count or the budget, that guard is off; for {@code minConversionRate},
 *     the breaker is off; {@code conversionMinVolume} of 0 lets the breaker trip on the first send;
 *     a window or duration of 0 is refused.
 */
@ConfigurationProperties("signet.rules.send-policy")
public record SendPolicyProperties(
    List<String> allowedCountries,
    boolean shadowMode,
    Limit perNumber,
    Limit perPrefix,
    Limit perCountry,
    Long dailyGlobalBudget,
    double minConversionRate,
    int conversionMinVolume,
    Duration conversionWindow,
    Duration autoBlockDuration,
    Duration relayInterval) {

  /** A backstop behind challenge-service's 6 sends per number per 10 minutes. */
  public static final Limit PER_NUMBER = new Limit(10, Duration.ofMinutes(10));

  /** One block of 10,000 numbers (an operator's range): pumping walks through one. */
  public static final Limit PER_PREFIX = new Limit(100, Duration.ofHours(1));

  /** One destination country in an hour. */
  public static final Limit PER_COUNTRY = new Limit(10_000, Duration.ofHours(1));

  /** Sends per UTC day for the whole platform: caps the bill of whatever gets past the rest. */
  public static final long DAILY_GLOBAL_BUDGET = 100_000;

  /** At most {@code maxCount} sends per {@code window}; 0 is off, unset takes the default. */
  public record Limit(Integer maxCount, Duration window) {}

  public SendPolicyProperties {
    allowedCountries = CodeList.normalise(allowedCountries);
    perNumber = orDefault(perNumber, PER_NUMBER);
    perPrefix = orDefault(perPrefix, PER_PREFIX);
    perCountry = orDefault(perCountry, PER_COUNTRY);
    dailyGlobalBudget = dailyGlobalBudget == null ? DAILY_GLOBAL_BUDGET : dailyGlobalBudget;
    conversionWindow = conversionWindow == null ? Duration.ofHours(1) : conversionWindow;
    autoBlockDuration = autoBlockDuration == null ? Duration.ofHours(1) : autoBlockDuration;
    relayInterval = relayInterval == null ? Duration.ofSeconds(5) : relayInterval;
    for (Duration positive :
        new Duration[] {
          perNumber.window(),
          perPrefix.window(),
          perCountry.window(),
          conversionWindow,
          autoBlockDuration,
          relayInterval
        }) {
      if (positive.isZero() || positive.isNegative()) {
        throw new IllegalArgumentException(
            "signet.rules.send-policy: windows, auto-block-duration and relay-interval must be"
                + " positive durations");
      }
    }
  }

  /**
   * An unset limit takes the default; a limit with only one of its two settings keeps the other.
   */
  private static Limit orDefault(Limit configured, Limit fallback) {
    if (configured == null) {
      return fallback;
    }
    return new Limit(
        configured.maxCount() == null ? fallback.maxCount() : configured.maxCount(),
        configured.window() == null ? fallback.window() : configured.window());
  }
}
