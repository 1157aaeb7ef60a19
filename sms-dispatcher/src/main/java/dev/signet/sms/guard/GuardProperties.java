package dev.signet.sms.guard;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 *     <p>Every limit is off (0) unless configured.
 */
@ConfigurationProperties("signet.sms.guard")
public record GuardProperties(
    List<String> allowedCountries,
    boolean shadow,
    Limit perNumber,
    Limit perPrefix,
    Limit perCountry,
    long dailyBudget) {

  /**
   * A velocity limit: at most {@code maxCount} sends per fixed {@code window}.
   *
   * @param maxCount sends allowed in one window; 0 disables the limit
   * @param window length of the window
   */
  public record Limit(long maxCount, Duration window) {
    public Limit {
      if (window == null || window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("a guard limit needs a positive window");
      }
    }
  }

  public GuardProperties {
    allowedCountries =
        allowedCountries == null
            ? List.of()
            : allowedCountries.stream()
                .map(String::trim)
                .filter(c -> !c.isEmpty())
                .map(c -> c.toUpperCase(Locale.ROOT))
                .toList();
    // Off unless configured: the local stack, the tests and the benchmark send thousands of
    // messages
    // to one fictional range. Production settings are in docs/sms-dispatcher.md.
    perNumber = perNumber == null ? new Limit(0, Duration.ofMinutes(10)) : perNumber;
    perPrefix = perPrefix == null ? new Limit(0, Duration.ofMinutes(10)) : perPrefix;
    perCountry = perCountry == null ? new Limit(0, Duration.ofHours(1)) : perCountry;
    dailyBudget = dailyBudget < 0 ? 0 : dailyBudget;
  }
}
