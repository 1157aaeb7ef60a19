package dev.signet.sms.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Until rules-service's policy arrives the dispatcher enforces its configured one: the same guards
 * on by default, with the same values.
 */
class GuardPropertiesTest {

  @Test
  void unsetGuardsAreOnWithTheValuesOfTheInitialSendPolicy() {
    SendPolicy policy =
        SendPolicy.configured(new GuardProperties(List.of(), false, null, null, null, null));

    assertThat(policy.perNumber()).isEqualTo(new SendPolicy.Velocity(10, Duration.ofMinutes(10)));
    assertThat(policy.perPrefix()).isEqualTo(new SendPolicy.Velocity(100, Duration.ofHours(1)));
    assertThat(policy.perCountry()).isEqualTo(new SendPolicy.Velocity(10_000, Duration.ofHours(1)));
    assertThat(policy.dailyBudget()).isEqualTo(100_000L);
  }

  @Test
  void zeroSwitchesAGuardOffAndAPartialSettingKeepsTheDefaultOfTheRest() {
    GuardProperties p =
        new GuardProperties(
            List.of("GB"),
            false,
            new GuardProperties.Limit(0L, null),
            new GuardProperties.Limit(null, Duration.ofMinutes(5)),
            null,
            0L);

    assertThat(SendPolicy.configured(p).perNumber().enabled()).isFalse();
    assertThat(p.perPrefix()).isEqualTo(new GuardProperties.Limit(100L, Duration.ofMinutes(5)));
    assertThat(p.dailyBudget()).isZero();
  }
}
