package dev.signet.rules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The initial send policy has its pumping guards on unless a setting switches one off. */
class SendPolicyPropertiesTest {

  private static SendPolicyProperties configured(
      SendPolicyProperties.Limit perNumber,
      SendPolicyProperties.Limit perPrefix,
      SendPolicyProperties.Limit perCountry,
      Long budget) {
    return new SendPolicyProperties(
        List.of("gb"), false, perNumber, perPrefix, perCountry, budget, 0, 0, null, null, null);
  }

  @Test
  void unsetGuardsTakeTheDocumentedDefaults() {
    SendPolicyProperties p = configured(null, null, null, null);

    assertThat(p.perNumber()).isEqualTo(new SendPolicyProperties.Limit(10, Duration.ofMinutes(10)));
    assertThat(p.perPrefix()).isEqualTo(new SendPolicyProperties.Limit(100, Duration.ofHours(1)));
    assertThat(p.perCountry())
        .isEqualTo(new SendPolicyProperties.Limit(10_000, Duration.ofHours(1)));
    assertThat(p.dailyGlobalBudget()).isEqualTo(100_000L);
    assertThat(p.allowedCountries()).containsExactly("GB");
  }

  @Test
  void aGuardSetInPartKeepsTheRestOfItsDefaultAndZeroSwitchesItOff() {
    SendPolicyProperties p =
        configured(
            new SendPolicyProperties.Limit(0, null),
            new SendPolicyProperties.Limit(null, Duration.ofMinutes(10)),
            new SendPolicyProperties.Limit(500, null),
            0L);

    assertThat(p.perNumber().maxCount()).isZero();
    assertThat(p.perPrefix())
        .isEqualTo(new SendPolicyProperties.Limit(100, Duration.ofMinutes(10)));
    assertThat(p.perCountry()).isEqualTo(new SendPolicyProperties.Limit(500, Duration.ofHours(1)));
    assertThat(p.dailyGlobalBudget()).isZero();
  }

  @Test
  void theRelayIntervalDefaultsToFiveSecondsAndZeroIsRefused() {
    assertThat(configured(null, null, null, null).relayInterval()).isEqualTo(Duration.ofSeconds(5));

    assertThatThrownBy(
            () ->
                new SendPolicyProperties(
                    List.of(), false, null, null, null, null, 0, 0, null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("relay-interval");
  }
}
