package dev.signet.challenge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The send guards are on unless switched off, with the values docs/limits.md gives. */
class LimitDefaultsTest {

  @Test
  void unsetSendLimitsTakeTheDocumentedDefaults() {
    ChallengeProperties.Limits limits = ChallengeProperties.Limits.defaults();
    assertThat(limits.sendsPerIp()).isEqualTo(100);
    assertThat(limits.sendsPerIpWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(limits.sendsPerPhone()).isEqualTo(6);

    NewNumberProperties numbers = new NewNumberProperties(null, null, null);
    assertThat(numbers.perUser()).isEqualTo(3);
    assertThat(numbers.perAction()).isEqualTo(3);
    assertThat(numbers.window()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void zeroSwitchesALimitOffAndANegativeValueIsRefused() {
    ChallengeProperties.Limits off =
        new ChallengeProperties.Limits(
            null, null, null, null, null, null, null, null, null, null, 0, null);
    assertThat(off.sendsPerIp()).isZero();
    NewNumberProperties none = new NewNumberProperties(0, 0, Duration.ofMinutes(5));
    assertThat(none.perUser()).isZero();
    assertThat(none.perAction()).isZero();

    assertThatThrownBy(() -> new NewNumberProperties(-1, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ChallengeProperties.Limits(
                    null, null, null, null, null, null, null, null, null, null, -1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void zeroIsRefusedWhereItWouldRefuseEveryRequestAndUnsetTakesTheDefault() {
    ChallengeProperties.Limits defaults = ChallengeProperties.Limits.defaults();
    assertThat(defaults.maxAttempts()).isEqualTo(5);
    assertThat(defaults.maxSends()).isEqualTo(5);
    assertThat(defaults.consecutiveFailures()).isEqualTo(100);

    assertThatThrownBy(
            () ->
                new ChallengeProperties.Limits(
                    0, null, null, null, null, null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signet.challenge.limits.max-attempts must be 1 or more");
    assertThatThrownBy(
            () ->
                new ChallengeProperties.Limits(
                    null,
                    null,
                    null,
                    null,
                    Duration.ZERO,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signet.challenge.limits.sends-window must be a positive duration");
    // A resend cooldown of 0 means no wait between sends.
    assertThat(
            new ChallengeProperties.Limits(
                    null, Duration.ZERO, null, null, null, null, null, null, null, null, null, null)
                .resendCooldown())
        .isZero();
  }
}
