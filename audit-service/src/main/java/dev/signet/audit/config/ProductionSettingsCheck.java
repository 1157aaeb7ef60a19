package dev.signet.audit.config;

import dev.signet.platform.config.ProductionSettings;
import dev.signet.platform.config.ProductionSettings.Setting;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fails closed under the {@code production} profile: audit-service refuses to start while a secret
 * it needs is missing or blank. Without this check an unset {@code ${SIGNET_MANAGEMENT_SECRET}}
 * binds as its own literal text (the query API and the dashboard would take a secret anyone can
 * read in application.yml), the phone-hash key falls back to one derived from the management secret
 * (rotating that secret would then make every stored phone number unfindable), and the dashboard
 * cannot send review decisions or sign webhooks without the API secret. The development-only
 * settings (webhooks to loopback and private addresses over plain http, the test clock) must be
 * empty.
 */
@Configuration(proxyBeanMethods = false)
class ProductionSettingsCheck {

  static final ProductionSettings SETTINGS =
      ProductionSettings.kafkaClient(
          "audit-service",
          List.of(
              new Setting("signet.audit.management-secret", "SIGNET_MANAGEMENT_SECRET"),
              new Setting("signet.audit.phone-hash-key", "SIGNET_AUDIT_PHONE_HASH_KEY"),
              new Setting("signet.dashboard.api-secret", "SIGNET_API_SECRET")),
          List.of(
              new Setting(
                  "signet.webhooks.allow-private-addresses",
                  "SIGNET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"),
              new Setting(
                  "signet.audit.testing.clock-offset-file", "SIGNET_TESTING_CLOCK_OFFSET_FILE")));

  /** Checked before any bean reads a setting (see {@link ProductionSettings}). */
  @Bean
  static ProductionSettings productionSettings() {
    return SETTINGS;
  }
}
