package dev.signet.sms.config;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
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

  static final String PRODUCTION_PROFILE = "production";

  private static final Logger log = LoggerFactory.getLogger(ProductionSettingsCheck.class);

  /** A setting by its property and the environment variable application.yml reads it from. */
  record Setting(String property, String variable) {}

  static final Setting SIGNATURE_SECRET =
      new Setting("signet.sms.vonage-signature-secret", "SIGNET_VONAGE_SIGNATURE_SECRET");

  /** Every secret sms-dispatcher needs. */
  static final List<Setting> SECRETS =
      List.of(
          new Setting("signet.sms.vonage-api-key", "SIGNET_VONAGE_API_KEY"),
          new Setting("signet.sms.vonage-api-secret", "SIGNET_VONAGE_API_SECRET"),
          SIGNATURE_SECRET,
          new Setting("signet.sms.management-secret", "SIGNET_MANAGEMENT_SECRET"),
          new Setting("signet.sms.seal-keys", "SIGNET_SEAL_KEYS"));

  /**
   * Settings for local stacks and tests only: a test number's fixed code is a standing credential.
   */
  static final List<Setting> DEVELOPMENT_ONLY =
      List.of(new Setting("signet.sms.test-numbers", "SIGNET_TEST_NUMBERS"));

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(beanFactory.getBean(Environment.class));
  }

  /**
   * Under the production profile, throws {@link IllegalStateException} naming every missing secret
   * and every development-only setting that is on; otherwise warns when receipts go unsigned.
   */
  static void check(Environment environment) {
    if (!environment.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE))) {
      if (isBlank(value(environment, SIGNATURE_SECRET.property()))) {
        log.warn(
            "{} is not set: the delivery-receipt webhook accepts unsigned receipts from anyone."
                + " Set it to Vonage's signature secret; the production profile refuses to start"
                + " without it",
            SIGNATURE_SECRET.variable());
      }
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Setting secret : SECRETS) {
      if (isBlank(value(environment, secret.property()))) {
        problems.add(secret.variable() + " (" + secret.property() + ") is not set");
      }
    }
    for (Setting setting : DEVELOPMENT_ONLY) {
      if (!values(environment, setting.property()).isEmpty()) {
        problems.add(
            setting.variable() + " (" + setting.property() + ") must be empty in production");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "sms-dispatcher refuses to start under the production profile: "
              + String.join("; ", problems)
              + ". See docs/operations.md.");
    }
  }

  private static String value(Environment environment, String property) {
    try {
      return environment.getProperty(property);
    } catch (IllegalArgumentException unresolvable) {
      // ${NAME} without a default while NAME is unset
      return null;
    }
  }

  private static List<String> values(Environment environment, String property) {
    return Binder.get(environment)
        .bind(property, Bindable.listOf(String.class))
        .orElse(List.of())
        .stream()
        .filter(v -> !isBlank(v))
        .toList();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
