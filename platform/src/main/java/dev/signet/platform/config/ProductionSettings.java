package dev.signet.platform.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Fails closed under the {@code production} profile: a service names the secrets it needs and the
 * settings meant for local stacks and tests only, and refuses to start while a secret is missing or
 * blank or a development-only setting is on. Without it an unset {@code ${SIGNET_API_SECRET}} binds
 * as its own literal text, and a route would be guarded by a secret anyone can read in
 * application.yml. A service declares its settings as data, in a static {@code @Bean} of this type:
 * being a bean factory post-processor, it runs {@link #check} before any bean reads a setting.
 */
public final class ProductionSettings implements BeanFactoryPostProcessor {

  public static final String PROFILE = "production";

  /** A setting by its property and the environment variable application.yml reads it from. */
  public record Setting(String property, String variable) {}

  /**
   * The SASL credentials of a Kafka client (application.yml builds {@code sasl.jaas.config} from
   * them): without them a service would connect as no one, which a broker with ACLs refuses, or
   * worse, to a broker without any.
   */
  public static final List<Setting> KAFKA_CREDENTIALS =
      List.of(
          new Setting("signet.kafka.username", "SIGNET_KAFKA_USERNAME"),
          new Setting("signet.kafka.password", "SIGNET_KAFKA_PASSWORD"));

  /** The Kafka security protocol, which must be a SASL one in production. */
  public static final Setting KAFKA_SECURITY_PROTOCOL =
      new Setting("spring.kafka.security.protocol", "SIGNET_KAFKA_SECURITY_PROTOCOL");

  private final String service;
  private final List<Setting> secrets;
  private final List<Setting> developmentOnly;
  private final boolean kafkaClient;

  public ProductionSettings(String service, List<Setting> secrets, List<Setting> developmentOnly) {
    this(service, secrets, developmentOnly, false);
  }

  private ProductionSettings(
      String service, List<Setting> secrets, List<Setting> developmentOnly, boolean kafkaClient) {
    this.service = service;
    this.secrets = List.copyOf(secrets);
    this.developmentOnly = List.copyOf(developmentOnly);
    this.kafkaClient = kafkaClient;
  }

  /** The settings of a service that is a Kafka client, as {@link #withKafkaClient()} adds them. */
  public static ProductionSettings kafkaClient(
      String service, List<Setting> secrets, List<Setting> developmentOnly) {
    return new ProductionSettings(service, secrets, developmentOnly).withKafkaClient();
  }

  /**
   * The same settings, plus those of a Kafka client: its credentials ({@link #KAFKA_CREDENTIALS})
   * and a SASL security protocol ({@code SASL_SSL}, or {@code SASL_PLAINTEXT} on a private
   * network).
   */
  public ProductionSettings withKafkaClient() {
    List<Setting> all = new ArrayList<>(secrets);
    all.addAll(KAFKA_CREDENTIALS);
    return new ProductionSettings(service, all, developmentOnly, true);
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(beanFactory.getBean(Environment.class));
  }

  public static boolean isProduction(Environment environment) {
    return environment.acceptsProfiles(Profiles.of(PROFILE));
  }

  /**
   * Throws {@link IllegalStateException} naming every missing secret and every development-only
   * setting that is on, when the production profile is active.
   */
  public void check(Environment environment) {
    if (!isProduction(environment)) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Setting secret : secrets) {
      if (isBlank(environment, secret)) {
        problems.add(secret.variable() + " (" + secret.property() + ") is not set");
      }
    }
    if (kafkaClient) {
      String protocol = environment.getProperty(KAFKA_SECURITY_PROTOCOL.property(), "PLAINTEXT");
      if (!protocol.strip().toUpperCase(Locale.ROOT).startsWith("SASL_")) {
        problems.add(
            KAFKA_SECURITY_PROTOCOL.variable()
                + " ("
                + KAFKA_SECURITY_PROTOCOL.property()
                + ") must be SASL_SSL or SASL_PLAINTEXT, not "
                + protocol);
      }
    }
    for (Setting setting : developmentOnly) {
      if (!values(environment, setting.property()).isEmpty()) {
        problems.add(
            setting.variable() + " (" + setting.property() + ") must be empty in production");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          service
              + " refuses to start under the production profile: "
              + String.join("; ", problems)
              + ". See docs/operations.md.");
    }
  }

  /** True when {@code setting} is unset, blank, or a placeholder whose variable is unset. */
  public static boolean isBlank(Environment environment, Setting setting) {
    String value;
    try {
      value = environment.getProperty(setting.property());
    } catch (IllegalArgumentException unresolvable) {
      // ${NAME} without a default while NAME is unset
      value = null;
    }
    return value == null || value.isBlank();
  }

  private static List<String> values(Environment environment, String property) {
    return Binder.get(environment)
        .bind(property, Bindable.listOf(String.class))
        .orElse(List.of())
        .stream()
        .filter(v -> v != null && !v.isBlank())
        .toList();
  }
}
