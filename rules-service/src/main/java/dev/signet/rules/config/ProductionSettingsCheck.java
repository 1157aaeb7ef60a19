package dev.signet.rules.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Fails closed under the {@code production} profile: rules-service refuses to start while a secret
 * it needs is missing or blank. Without this check an unset {@code ${SIGNET_MANAGEMENT_SECRET}}
 * binds into {@link RulesProperties} as its own literal text, and the management API would be
 * guarded by a secret anyone can read in application.yml. It runs as a bean factory post-processor,
 * so it fails before any bean reads a setting.
 */
@Component
class ProductionSettingsCheck implements BeanFactoryPostProcessor {

  static final String PRODUCTION_PROFILE = "production";

  /** A setting by its property and the environment variable application.yml reads it from. */
  record Setting(String property, String variable) {}

  /** Every secret rules-service needs. */
  static final List<Setting> SECRETS =
      List.of(new Setting("signet.rules.management-secret", "SIGNET_MANAGEMENT_SECRET"));

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
          "rules-service refuses to start under the production profile: "
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
