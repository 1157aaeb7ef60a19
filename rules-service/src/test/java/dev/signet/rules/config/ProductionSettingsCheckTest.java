package dev.signet.rules.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.signet.rules.RulesApplication;
import dev.signet.testsupport.ProductionStart;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsCheckTest {

  /**
   * Starts the service under the production profile with Kafka, MongoDB and the HTTP port pointing
   * nowhere, so that a start the check let through would reach no one's servers.
   */
  static void startInProduction(String... secrets) {
    List<String> args = ProductionStart.nowhere("rules-service");
    args.addAll(List.of(secrets));
    ProductionStart.start(RulesApplication.class, args);
  }

  @Test
  void theServiceRefusesToStartInProductionWhenTheManagementSecretVariableIsUnset() {
    // application.yml reads ${SIGNET_MANAGEMENT_SECRET}; unset, it would bind as that literal text.
    assumeThat(System.getenv("SIGNET_MANAGEMENT_SECRET")).isNull();

    assertThatThrownBy(ProductionSettingsCheckTest::startInProduction)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "rules-service refuses to start under the production profile:"
                + " SIGNET_MANAGEMENT_SECRET (signet.rules.management-secret) is not set."
                + " See docs/operations.md.");
  }

  @Test
  void theServiceRefusesToStartInProductionWithABlankManagementSecret() {
    assertThatThrownBy(() -> startInProduction("--SIGNET_MANAGEMENT_SECRET= "))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "SIGNET_MANAGEMENT_SECRET (signet.rules.management-secret) is not set");
  }

  @Test
  void passesInProductionWithTheManagementSecret() {
    MockEnvironment environment = ProductionStart.productionEnvironment("rules-service");
    environment.setProperty("signet.rules.management-secret", "secret");

    assertThatCode(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .doesNotThrowAnyException();
  }

  @Test
  void outsideProductionNothingIsRequired() {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("signet.rules.management-secret", "${SIGNET_MANAGEMENT_SECRET}");

    assertThatCode(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .doesNotThrowAnyException();
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutKafkaCredentialsOrOverPlaintext() {
    ProductionStart.assertRefusesKafkaWithoutCredentials(ProductionSettingsCheck.SETTINGS::check);
  }
}
