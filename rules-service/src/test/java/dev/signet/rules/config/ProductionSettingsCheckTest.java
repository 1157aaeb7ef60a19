package dev.signet.rules.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.signet.rules.RulesApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsCheckTest {

  /**
   * Starts the service under the production profile with Kafka, MongoDB and the HTTP port pointing
   * nowhere, so that a start the check let through would reach no one's servers.
   */
  static void startInProduction(String... secrets) {
    String[] args = new String[secrets.length + 6];
    args[0] = "--spring.kafka.bootstrap-servers=127.0.0.1:9";
    args[1] = "--spring.mongodb.uri=mongodb://127.0.0.1:9/signet-production-check";
    args[2] = "--server.port=0";
    args[3] = "--SIGNET_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT";
    args[4] = "--SIGNET_KAFKA_USERNAME=rules-service";
    args[5] = "--SIGNET_KAFKA_PASSWORD=kafka-password";
    System.arraycopy(secrets, 0, args, 6, secrets.length);
    new SpringApplicationBuilder(RulesApplication.class).profiles("production").run(args).close();
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
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.rules.management-secret", "secret");
    environment.setProperty("spring.kafka.security.protocol", "SASL_SSL");
    environment.setProperty("signet.kafka.username", "rules-service");
    environment.setProperty("signet.kafka.password", "kafka-password");

    assertThatCode(() -> ProductionSettingsCheck.check(environment)).doesNotThrowAnyException();
  }

  @Test
  void outsideProductionNothingIsRequired() {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("signet.rules.management-secret", "${SIGNET_MANAGEMENT_SECRET}");

    assertThatCode(() -> ProductionSettingsCheck.check(environment)).doesNotThrowAnyException();
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutKafkaCredentialsOrOverPlaintext() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.kafka.username", "${SIGNET_KAFKA_USERNAME}");
    environment.setProperty("spring.kafka.security.protocol", "PLAINTEXT");

    assertThatThrownBy(() -> ProductionSettingsCheck.check(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_KAFKA_USERNAME (signet.kafka.username) is not set")
        .hasMessageContaining("SIGNET_KAFKA_PASSWORD (signet.kafka.password) is not set")
        .hasMessageContaining(
            "SIGNET_KAFKA_SECURITY_PROTOCOL (spring.kafka.security.protocol) must be SASL_SSL or"
                + " SASL_PLAINTEXT, not PLAINTEXT");
  }
}
