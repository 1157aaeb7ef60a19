package dev.signet.rules.config;

import dev.signet.platform.config.ProductionSettings;
import dev.signet.platform.config.ProductionSettings.Setting;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fails closed under the {@code production} profile: rules-service refuses to start while a secret
 * it needs is missing or blank. Without this check an unset {@code ${SIGNET_MANAGEMENT_SECRET}}
 * binds into {@link RulesProperties} as its own literal text, and the management API would be
 * guarded by a secret anyone can read in application.yml. It runs as a bean factory post-processor,
 * so it fails before any bean reads a setting.
 */
@Configuration(proxyBeanMethods = false)
class ProductionSettingsCheck {

  static final ProductionSettings SETTINGS =
      ProductionSettings.kafkaClient(
          "rules-service",
          List.of(new Setting("signet.rules.management-secret", "SIGNET_MANAGEMENT_SECRET")),
          List.of());

  /** Checked before any bean reads a setting (see {@link ProductionSettings}). */
  @Bean
  static ProductionSettings productionSettings() {
    return SETTINGS;
  }
}
