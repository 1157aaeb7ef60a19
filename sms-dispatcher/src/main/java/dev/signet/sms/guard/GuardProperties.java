package dev.signet.sms.guard;

import dev.signet.platform.config.CodeList;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The send-side abuse guard under {@code signet.sms.guard}: the last line of defence against SMS
 * pumping, after challenge-service's own limits.
 *
 * @param allowedCountries ISO 3166-1 alpha-2 regions messages may go to; empty allows every region
 * @param shadow when true, a guard that fires only reports (a blocked event with {@code shadow})
 *     and the message is sent
 * @param perNumber sends to one number per window
 * @param perPrefix sends to one prefix (the number without its last four digits) per window
 * @param perCountry sends to one region per window
 * @param dailyBudget sends per UTC day across all destinations; 0 disables the budget
 *     <p>The limits are on by default with the values of rules-service's initial send policy
 *     (docs/limits.md), which replaces this configured policy as soon as it arrives; a count of 0
 *     switches one off.
 */
@ConfigurationProperties("signet.sms.guard")
public record GuardProperties(
    List<String> allowedCountries,
    boolean shadow,
    Limit perNumber,
    Limit perPrefix,
    Limit perCountry,
    Long dailyBudget) {

  static final Limit PER_NUMBER = new Limit(10L, Duration.ofMinutes(10));
  static final Limit PER_PREFIX = new Limit(100L, Duration.ofHours(1));
  static final Limit PER_COUNTRY = new Limit(10_000L, Duration.ofHours(1));
  static final long DAILY_BUDGET = 100_000;

  /**
   * A velocity limit: at most {@code maxCount} sends per fixed {@code window}.
   *
   * @param maxCount sends allowed in one window; 0 disables the limit, unset takes the default
   * @param window length of the window; unset takes the default
   */
  public record Limit(Long maxCount, Duration window) {
    public Limit {
      if (window != null && (window.isZero() || window.isNegative())) {
        throw new IllegalArgumentException("a guard limit needs a positive window");
      }
    }

    /** This limit with whatever it leaves unset taken from {@code fallback}. */
    Limit or(Limit fallback) {
      return new Limit(
          maxCount == null ? fallback.maxCount() : maxCount,
          window == null ? fallback.window() : window);
    }
  }

  public GuardProperties {
    allowedCountries = CodeList.normalise(allowedCountries);
    perNumber = perNumber == null ? PER_NUMBER : perNumber.or(PER_NUMBER);
    perPrefix = perPrefix == null ? PER_PREFIX : perPrefix.or(PER_PREFIX);
    perCountry = perCountry == null ? PER_COUNTRY : perCountry.or(PER_COUNTRY);
    dailyBudget = dailyBudget == null ? DAILY_BUDGET : Math.max(0, dailyBudget);
  }
}
