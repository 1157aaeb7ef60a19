package dev.signet.sms.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The send policy the guard enforces: either the configured one ({@code signet.sms.guard.*}, until
 * a policy arrives) or the latest version read from {@code auth.policy.send-policy.v1}.
 *
 * @param version the policy's version; null for the configured policy
 * @param allowedRegions regions messages may go to; null allows every region (the configured policy
 *     without an allowlist), empty allows none (a published policy's semantics)
 * @param shadow guards only report, the message is sent
 * @param perNumber sends to one number per window
 * @param perPrefix sends to one prefix (the number without its last four digits) per window
 * @param perCountry sends to one region per window
 * @param dailyBudget sends per UTC day for the whole platform; 0 is unlimited
 * @param blockedPrefixes E.164 prefixes refused until their block lifts
 * @param blockedCountries regions refused until their block lifts
 */
public record SendPolicy(
    Long version,
    List<String> allowedRegions,
    boolean shadow,
    Velocity perNumber,
    Velocity perPrefix,
    Velocity perCountry,
    long dailyBudget,
    List<BlockedDestination> blockedPrefixes,
    List<BlockedDestination> blockedCountries) {

  public SendPolicy {
    allowedRegions =
        allowedRegions == null
            ? null
            : allowedRegions.stream()
                .map(String::trim)
                .filter(c -> !c.isEmpty())
                .map(c -> c.toUpperCase(Locale.ROOT))
                .toList();
    perNumber = perNumber == null ? Velocity.OFF : perNumber;
    perPrefix = perPrefix == null ? Velocity.OFF : perPrefix;
    perCountry = perCountry == null ? Velocity.OFF : perCountry;
    dailyBudget = Math.max(0, dailyBudget);
    blockedPrefixes = blockedPrefixes == null ? List.of() : List.copyOf(blockedPrefixes);
    blockedCountries = blockedCountries == null ? List.of() : List.copyOf(blockedCountries);
  }

  /** The policy from {@code signet.sms.guard.*}: an empty allowlist there means every region. */
  static SendPolicy configured(GuardProperties properties) {
    return new SendPolicy(
        null,
        properties.allowedCountries().isEmpty() ? null : properties.allowedCountries(),
        properties.shadow(),
        Velocity.of(properties.perNumber()),
        Velocity.of(properties.perPrefix()),
        Velocity.of(properties.perCountry()),
        properties.dailyBudget(),
        List.of(),
        List.of());
  }

  /**
   * At most {@code maxCount} sends per fixed window; a limit without a positive count or window is
   * off.
   */
  public record Velocity(long maxCount, Duration window) {
    static final Velocity OFF = new Velocity(0, Duration.ofMinutes(10));

    public Velocity {
      if (window == null || window.isZero() || window.isNegative()) {
        maxCount = 0;
        window = Duration.ofMinutes(10);
      }
      maxCount = Math.max(0, maxCount);
    }

    static Velocity of(GuardProperties.Limit limit) {
      return new Velocity(limit.maxCount(), limit.window());
    }

    boolean enabled() {
      return maxCount > 0;
    }
  }

  /**
   * A prefix (E.164, {@code +} and digits) or a region blocked until {@code until}.
   *
   * @param until when the block lifts; null until an operator lifts it
   */
  public record BlockedDestination(String value, String reason, Instant until) {
    boolean activeAt(Instant now) {
      return until == null || until.isAfter(now);
    }
  }
}
