package dev.signet.audit.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.signet.audit.AuditApplication;
import dev.signet.testsupport.ProductionStart;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsCheckTest {

  /**
   * Starts the service under the production profile with Kafka, MongoDB and the HTTP port pointing
   * nowhere, so that a start the check let through would reach no one's servers.
   */
  private static void startInProduction(String... secrets) {
    List<String> args = ProductionStart.nowhere("audit-service");
    args.addAll(List.of(secrets));
    ProductionStart.start(AuditApplication.class, args);
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutItsOwnPhoneHashKey() {
    // application.yml defaults it to empty, which outside production derives a key from the
    // management secret.
    assumeThat(System.getenv("SIGNET_AUDIT_PHONE_HASH_KEY")).isNull();

    assertThatThrownBy(
            () ->
                startInProduction(
                    "--SIGNET_MANAGEMENT_SECRET=management-secret", "--SIGNET_API_SECRET=api"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "audit-service refuses to start under the production profile:"
                + " SIGNET_AUDIT_PHONE_HASH_KEY (signet.audit.phone-hash-key) is not set."
                + " See docs/operations.md.");
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutTheApiSecretTheDashboardDecidesWith() {
    assumeThat(System.getenv("SIGNET_API_SECRET")).isNull();

    assertThatThrownBy(
            () ->
                startInProduction(
                    "--SIGNET_MANAGEMENT_SECRET=management-secret",
                    "--SIGNET_AUDIT_PHONE_HASH_KEY=phone-key"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_API_SECRET (signet.dashboard.api-secret) is not set")
        .message()
        .doesNotContain("SIGNET_MANAGEMENT_SECRET", "SIGNET_AUDIT_PHONE_HASH_KEY");
  }

  @Test
  void namesEveryMissingSecret() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.audit.management-secret", "${SIGNET_MANAGEMENT_SECRET}");
    environment.setProperty("signet.audit.phone-hash-key", " ");

    assertThatThrownBy(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_MANAGEMENT_SECRET (signet.audit.management-secret)")
        .hasMessageContaining("SIGNET_AUDIT_PHONE_HASH_KEY (signet.audit.phone-hash-key)")
        .hasMessageContaining("SIGNET_API_SECRET (signet.dashboard.api-secret)");
  }

  @Test
  void refusesTheWebhookDevelopmentOverrideAndTheTestClockInProduction() {
    MockEnvironment production = ProductionStart.productionEnvironment("audit-service");
    production.setProperty("signet.audit.management-secret", "m");
    production.setProperty("signet.audit.phone-hash-key", "p");
    production.setProperty("signet.dashboard.api-secret", "a");
    production.setProperty("signet.webhooks.allow-private-addresses", "true");
    production.setProperty("signet.audit.testing.clock-offset-file", "/tmp/offset");

    assertThatThrownBy(() -> ProductionSettingsCheck.SETTINGS.check(production))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "SIGNET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES (signet.webhooks.allow-private-addresses)"
                + " must be empty in production")
        .hasMessageContaining(
            "SIGNET_TESTING_CLOCK_OFFSET_FILE (signet.audit.testing.clock-offset-file) must be"
                + " empty in production");
  }

  @Test
  void passesInProductionWithEverySecretAndOutsideProductionWithout() {
    MockEnvironment production = ProductionStart.productionEnvironment("audit-service");
    production.setProperty("signet.audit.management-secret", "m");
    production.setProperty("signet.audit.phone-hash-key", "p");
    production.setProperty("signet.dashboard.api-secret", "a");

    assertThatCode(() -> ProductionSettingsCheck.SETTINGS.check(production))
        .doesNotThrowAnyException();
    assertThatCode(() -> ProductionSettingsCheck.SETTINGS.check(new MockEnvironment()))
        .doesNotThrowAnyException();
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutKafkaCredentialsOrOverPlaintext() {
    ProductionStart.assertRefusesKafkaWithoutCredentials(ProductionSettingsCheck.SETTINGS::check);
  }
}
