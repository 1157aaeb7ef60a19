package dev.signet.challenge.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Fails closed under the {@code production} profile: challenge-service refuses to start while a
 * secret it needs is missing or blank, or while a development-only setting is on. Without this
 * check an unset {@code ${SIGNET_API_SECRET}} binds into {@link ChallengeProperties} as its own
 * literal text, and the API would be guarded by a secret anyone can read in application.yml. It
 * runs as a bean factory post-processor, so it fails before any bean reads a setting.
 */
@Component
class ProductionSettingsCheck implements BeanFactoryPostProcessor {

  static final String PRODUCTION_PROFILE = "production";

  /** A setting by its property and the environment variable application.yml reads it from. */
  record Setting(String property, String variable) {}

  /** Every secret challenge-service needs. */
  static final List<Setting> SECRETS =
      List.of(
          new Setting("signet.challenge.api-secret", "SIGNET_API_SECRET"),
          new Setting("signet.challenge.management-secret", "SIGNET_MANAGEMENT_SECRET"),
          new Setting("signet.challenge.code-hmac-key", "SIGNET_CODE_HMAC_KEY"),
          new Setting("signet.challenge.seal-keys", "SIGNET_SEAL_KEYS"),
          new Setting("signet.challenge.token.signing-keys", "SIGNET_TOKEN_SIGNING_KEYS"));

  /**
   * Settings for local stacks and tests only: fictional numbers skip the phone-number checks, and a
   * test number's fixed code is a standing credential.
   */
  static final List<Setting> DEVELOPMENT_ONLY =
      List.of(
          new Setting(
              "signet.challenge.fictional-number-prefixes", "SIGNET_FICTIONAL_NUMBER_PREFIXES"),
          new Setting("signet.challenge.test-numbers", "SIGNET_TEST_NUMBERS"));

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(beanFactory.getBean(Environment.class));
  }

  /**
   * Throws {@link IllegalStateException} naming every missing secret and every development-only
   * setting that is on, when the production profile is active.
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
    for (Setting setting : DEVELOPMENT_ONLY) {
      if (!values(environment, setting.property()).isEmpty()) {
        problems.add(
            setting.variable() + " (" + setting.property() + ") must be empty in production");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "challenge-service refuses to start under the production profile: "
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
