package dev.signet.challenge.config;

import dev.signet.platform.config.ProductionSettings;
import dev.signet.platform.config.ProductionSettings.Setting;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fails closed under the {@code production} profile: challenge-service refuses to start while a
 * secret it needs is missing or blank, or while a development-only setting is on. Without this
 * check an unset {@code ${SIGNET_API_SECRET}} binds into {@link ChallengeProperties} as its own
 * literal text, and the API would be guarded by a secret anyone can read in application.yml.
 */
@Configuration(proxyBeanMethods = false)
class ProductionSettingsCheck {

  static final ProductionSettings SETTINGS =
      ProductionSettings.kafkaClient(
          "challenge-service",
          List.of(
              new Setting("signet.challenge.api-secret", "SIGNET_API_SECRET"),
              new Setting("signet.challenge.management-secret", "SIGNET_MANAGEMENT_SECRET"),
              new Setting("signet.challenge.code-hmac-key", "SIGNET_CODE_HMAC_KEY"),
              new Setting("signet.challenge.seal-keys", "SIGNET_SEAL_KEYS"),
              new Setting("signet.challenge.token.signing-keys", "SIGNET_TOKEN_SIGNING_KEYS")),
          List.of(
              new Setting(
                  "signet.challenge.fictional-number-prefixes", "SIGNET_FICTIONAL_NUMBER_PREFIXES"),
              new Setting("signet.challenge.test-numbers", "SIGNET_TEST_NUMBERS"),
              new Setting(
                  "signet.challenge.testing.clock-offset-file",
                  "SIGNET_TESTING_CLOCK_OFFSET_FILE")));

  /** Checked before any bean reads a setting (see {@link ProductionSettings}). */
  @Bean
  static ProductionSettings productionSettings() {
    return SETTINGS;
  }
}
