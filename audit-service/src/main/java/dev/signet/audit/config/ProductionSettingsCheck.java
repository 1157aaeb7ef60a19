package dev.signet.audit.config;

import dev.signet.platform.config.ProductionSettings;
import dev.signet.platform.config.ProductionSettings.Setting;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Fails closed under the {@code production} profile: audit-service refuses to start while a secret
 * it needs is missing or blank. Without this check an unset {@code ${SIGNET_MANAGEMENT_SECRET}}
 * binds as its own literal text (the query API and the dashboard would take a secret anyone can
 * read in application.yml), the phone-hash key falls back to one derived from the management secret
 * (rotating that secret would then make every stored phone number unfindable), and the dashboard
 * cannot send review decisions without the API secret. It runs as a bean factory post-processor, so
 * it fails before any bean reads a setting.
 */
@Component
class ProductionSettingsCheck implements BeanFactoryPostProcessor {

  static final ProductionSettings SETTINGS =
      new ProductionSettings(
          "audit-service",
          List.of(
              new Setting("signet.audit.management-secret", "SIGNET_MANAGEMENT_SECRET"),
              new Setting("signet.audit.phone-hash-key", "SIGNET_AUDIT_PHONE_HASH_KEY"),
              new Setting("signet.dashboard.api-secret", "SIGNET_API_SECRET")),
          List.of());

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(beanFactory.getBean(Environment.class));
  }

  /** See {@link ProductionSettings#check}. */
  static void check(Environment environment) {
    // Every service is a Kafka client: SASL credentials are required too.
    SETTINGS.withKafkaClient().check(environment);
  }
}
