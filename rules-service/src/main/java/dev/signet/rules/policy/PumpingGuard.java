package dev.signet.rules.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, from traffic counts, whether a prefix or a region is being pumped: more sends than the
 * policy's velocity allows in its window, or (regions only) a conversion rate (verified / sent)
 * below the breaker's threshold once the minimum volume is reached. Pure: the counts come from the
 * caller, which counts only traffic after an operator's last lift of the destination.
 */
public final class PumpingGuard {

  public static final String PREFIX_VELOCITY = "prefix_velocity";
  public static final String COUNTRY_VELOCITY = "country_velocity";
  public static final String CONVERSION_LOW = "conversion_low";

  private PumpingGuard() {}

  /**
   * A destination the guard found over a threshold.
   *
   * @param kind prefix or region
   * @param value the destination
   * @param reason {@link #PREFIX_VELOCITY}, {@link #COUNTRY_VELOCITY} or {@link #CONVERSION_LOW}
   * @param observed the count (sends) observed in the window
   * @param limit the threshold (velocity: sends; conversion: minimum rate in per mille)
   * @param window the window the count covers
   * @param detail a short explanation for operators
   */
  public record Detection(
      SendPolicy.Kind kind,
      String value,
      String reason,
      long observed,
      long limit,
      Duration window,
      String detail) {

    /** The block this detection asks for, lasting the policy's automatic block duration. */
    public SendPolicy.Block block(SendPolicy policy, Instant now) {
      return new SendPolicy.Block(
          value, reason, now.plus(policy.settings().autoBlockDuration()), now);
    }
  }

  /** Sends to one destination within the velocity window, checked against the velocity. */
  public static Optional<Detection> velocity(
      SendPolicy policy, SendPolicy.Kind kind, String value, long sends) {
    SendPolicy.Velocity limit =
        kind == SendPolicy.Kind.PREFIX
            ? policy.settings().perPrefix()
            : policy.settings().perCountry();
    if (!limit.on() || sends <= limit.maxCount()) {
      return Optional.empty();
    }
    return Optional.of(
        new Detection(
            kind,
            value,
            kind == SendPolicy.Kind.PREFIX ? PREFIX_VELOCITY : COUNTRY_VELOCITY,
            sends,
            limit.maxCount(),
            limit.window(),
            sends + " sends in " + limit.window() + " over " + limit.maxCount()));
  }

  /** Sent and verified challenges of a region within the conversion window. */
  public static Optional<Detection> conversion(
      SendPolicy policy, String country, long sent, long verified) {
    SendPolicy.Settings s = policy.settings();
    if (!s.conversionBreakerOn() || sent < Math.max(1, s.conversionMinVolume())) {
      return Optional.empty();
    }
    double rate = (double) verified / sent;
    if (rate >= s.minConversionRate()) {
      return Optional.empty();
    }
    return Optional.of(
        new Detection(
            SendPolicy.Kind.COUNTRY,
            country,
            CONVERSION_LOW,
            sent,
            Math.round(s.minConversionRate() * 1000),
            s.conversionWindow(),
            String.format(
                java.util.Locale.ROOT,
                "conversion %.3f (%d verified / %d sent in %s) under %.3f",
                rate,
                verified,
                sent,
                s.conversionWindow(),
                s.minConversionRate())));
  }

  /**
   * The prefix of an E.164 number: the number without its last four digits ({@code +447700900123} →
   * {@code +44770090}); null for something too short to be a number.
   */
  public static String prefixOf(String e164) {
    if (e164 == null || e164.length() < 9 || e164.charAt(0) != '+') {
      return null;
    }
    return e164.substring(0, e164.length() - 4);
  }
}
