package dev.signet.rules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** rules-service's own settings keep their defaults in the record, and 0 has one meaning. */
class RulesPropertiesTest {

  @Test
  void decisionConcurrencyDefaultsToThreeThreads() {
    assertThat(new RulesProperties("secret", null).decisionConcurrency()).isEqualTo(3);
  }

  @Test
  void aDecisionConcurrencyOfZeroIsRefused() {
    assertThatThrownBy(() -> new RulesProperties("secret", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signet.rules.decision-concurrency");
  }
}
