package dev.signet.challenge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The caps on distinct new phone numbers ({@code signet.challenge.limits.new-numbers.*}): codes to
 * numbers a user has not verified, counted per user and per tracked action attempt. Unset values
 * take the defaults; 0 switches a cap off.
 *
 * @param perUser distinct new numbers per user per window (default 3)
 * @param perAction distinct numbers per tracked action attempt (one track token) per window
 *     (default 3)
 * @param window the fixed window both caps count in (default 1 hour)
 */
@ConfigurationProperties("signet.challenge.limits.new-numbers")
public record NewNumberProperties(Integer perUser, Integer perAction, Duration window) {

  public static final int PER_USER = 3;
  public static final int PER_ACTION = 3;
  public static final Duration WINDOW = Duration.ofHours(1);

  public NewNumberProperties {
    perUser = perUser == null ? PER_USER : perUser;
    perAction = perAction == null ? PER_ACTION : perAction;
    window = window == null ? WINDOW : window;
    if (perUser < 0 || perAction < 0) {
      throw new IllegalArgumentException(
          "signet.challenge.limits.new-numbers.per-user and per-action must be 0 (off) or more");
    }
    if (window.isNegative() || window.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "signet.challenge.limits.new-numbers.window must be at least one second");
    }
  }
}
