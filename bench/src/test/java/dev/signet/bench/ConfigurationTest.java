package dev.signet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigurationTest {

  @Test
  void routedConfigurationIsNamedOnlyOnRequestAndLiftsBothProviders() {
    assertThat(Configuration.ALL).doesNotContain(Configuration.LIFTED_ROUTED);
    assertThat(Configuration.list("lifted,lifted-routed"))
        .containsExactly(Configuration.LIFTED, Configuration.LIFTED_ROUTED);
    assertThat(Configuration.LIFTED_ROUTED.environment())
        .containsEntry("SIGNET_SMS_PROVIDERRATEPERSECOND", "100000")
        .containsEntry("SIGNET_SMS_TWILIO_RATEPERSECOND", "100000");
    assertThat(Configuration.LIFTED_ROUTED.describe()).contains("routing rules");
    assertThat(Configuration.LIFTED.describe()).doesNotContain("routing");
  }

  @Test
  void unknownConfigurationNamesEveryKnownOne() {
    assertThatThrownBy(() -> Configuration.of("routed")).hasMessageContaining("lifted-routed");
  }
}
