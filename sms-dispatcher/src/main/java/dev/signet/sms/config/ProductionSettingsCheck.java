package dev.signet.sms.config;

import dev.signet.platform.config.ProductionSettings;
import dev.signet.platform.config.ProductionSettings.Setting;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Fails closed under the {@code production} profile: sms-dispatcher refuses to start while a secret
 * it needs is missing or blank, or while test numbers are configured. The delivery-receipt webhook
 * accepts every request when no signature secret is set, so in production a missing secret must
 * stop the service; elsewhere (local stacks, tests) it keeps accepting and a warning says so.
 * Without this check an unset {@code ${SIGNET_VONAGE_API_SECRET}} would bind as its own literal
 * text. It runs as a bean factory post-processor, so it fails before any bean reads a setting.
 */
@Component
class ProductionSettingsCheck implements BeanFactoryPostProcessor {

  private static final Logger log = LoggerFactory.getLogger(ProductionSettingsCheck.class);

  static final Setting SIGNATURE_SECRET =
      new Setting("signet.sms.vonage-signature-secret", "SIGNET_VONAGE_SIGNATURE_SECRET");

  static final ProductionSettings SETTINGS =
      new ProductionSettings(
          "sms-dispatcher",
          List.of(
              new Setting("signet.sms.vonage-api-key", "SIGNET_VONAGE_API_KEY"),
              new Setting("signet.sms.vonage-api-secret", "SIGNET_VONAGE_API_SECRET"),
              SIGNATURE_SECRET,
              new Setting("signet.sms.management-secret", "SIGNET_MANAGEMENT_SECRET"),
              new Setting("signet.sms.seal-keys", "SIGNET_SEAL_KEYS")),
          List.of(new Setting("signet.sms.test-numbers", "SIGNET_TEST_NUMBERS")));

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(beanFactory.getBean(Environment.class));
  }

  /**
   * Under the production profile, throws {@link IllegalStateException} naming every missing secret
   * and every development-only setting that is on; otherwise warns when receipts go unsigned.
   */
  static void check(Environment environment) {
    if (!ProductionSettings.isProduction(environment)
        && ProductionSettings.isBlank(environment, SIGNATURE_SECRET)) {
      log.warn(
          "{} is not set: the delivery-receipt webhook accepts unsigned receipts from anyone."
              + " Set it to Vonage's signature secret; the production profile refuses to start"
              + " without it",
          SIGNATURE_SECRET.variable());
    }
    // Every service is a Kafka client: SASL credentials are required too.
    SETTINGS.withKafkaClient().check(environment);
  }
}
