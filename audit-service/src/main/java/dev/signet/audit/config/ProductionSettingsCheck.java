package dev.signet.audit.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
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

  static final String PRODUCTION_PROFILE = "production";

  /** A setting by its property and the environment variable application.yml reads it from. */
  record Setting(String property, String variable) {}

  /** Every secret audit-service needs. */
  static final List<Setting> SECRETS =
      List.of(
          new Setting("signet.audit.management-secret", "SIGNET_MANAGEMENT_SECRET"),
          new Setting("signet.audit.phone-hash-key", "SIGNET_AUDIT_PHONE_HASH_KEY"),
          new Setting("signet.dashboard.api-secret", "SIGNET_API_SECRET"));

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(beanFactory.getBean(Environment.class));
  }

  /**
   * Throws {@link IllegalStateException} naming every missing secret when the production profile is
   * active.
   */
  static void check(Environment environment) {
    if (!environment.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE))) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Setting secret : SECRETS) {
      if (isBlank(value(environment, secret.property()))) {
        problems.add(secret.variable() + " (" + secret.property() + ") is not set");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "audit-service refuses to start under the production profile: "
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

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
