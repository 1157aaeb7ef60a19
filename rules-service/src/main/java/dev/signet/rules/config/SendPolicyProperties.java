package dev.signet.rules.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The initial SMS send policy ({@code signet.rules.send-policy.*}): stored and published on the
 * first start, when MongoDB holds no policy yet. Afterwards the management API governs it and these
 * settings are ignored. Every limit is off unless configured (the local stack, the tests and the
 * benchmark send thousands of codes to one fictional range).
 *
 * @param allowedCountries ISO 3166-1 alpha-2 regions SMS may go to
 * @param shadowMode report, never refuse or block
 * @param perNumber sends per number per window (0 = off)
 * @param perPrefix sends per prefix per window (0 = off)
 * @param perCountry sends per region per window (0 = off)
 * @param dailyGlobalBudget sends per UTC day, 0 = unlimited
 * @param minConversionRate conversion below which a region is blocked, 0 = breaker off
 * @param conversionMinVolume sends in the window before the breaker may trip
 * @param conversionWindow the breaker's sliding window
 * @param autoBlockDuration how long an automatic block lasts
 */
@ConfigurationProperties("signet.rules.send-policy")
public record SendPolicyProperties(
    List<String> allowedCountries,
    boolean shadowMode,
    Limit perNumber,
    Limit perPrefix,
    Limit perCountry,
    long dailyGlobalBudget,
    double minConversionRate,
    int conversionMinVolume,
    Duration conversionWindow,
    Duration autoBlockDuration) {

  /** At most {@code maxCount} sends per {@code window}; 0 is off. */
  public record Limit(int maxCount, Duration window) {}

  public SendPolicyProperties {
    allowedCountries =
        allowedCountries == null
            ? List.of()
            : allowedCountries.stream()
                .map(String::trim)
                .filter(c -> !c.isEmpty())
                .map(c -> c.toUpperCase(Locale.ROOT))
                .toList();
    perNumber = perNumber == null ? new Limit(0, Duration.ofMinutes(10)) : perNumber;
    perPrefix = perPrefix == null ? new Limit(0, Duration.ofMinutes(10)) : perPrefix;
    perCountry = perCountry == null ? new Limit(0, Duration.ofHours(1)) : perCountry;
    conversionWindow = conversionWindow == null ? Duration.ofHours(1) : conversionWindow;
    autoBlockDuration = autoBlockDuration == null ? Duration.ofHours(1) : autoBlockDuration;
  }
}
