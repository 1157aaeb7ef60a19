package dev.signet.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

/**
 * The shared part of every service's production-settings test: starting the real application under
 * the {@code production} profile with Kafka, MongoDB and the HTTP port pointing nowhere (so a start
 * the check let through would reach no one's servers), and the Kafka credential rules every service
 * enforces alike.
 */
public final class ProductionStart {

  private ProductionStart() {}

  /**
   * The arguments that point the service nowhere, with Kafka credentials for {@code kafkaUser}
   * given as the deployment's variables would give them.
   */
  public static List<String> nowhere(String kafkaUser) {
    return new ArrayList<>(
        List.of(
            "--spring.kafka.bootstrap-servers=127.0.0.1:9",
            "--spring.mongodb.uri=mongodb://127.0.0.1:9/signet-production-check",
            "--server.port=0",
            "--SIGNET_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT",
            "--SIGNET_KAFKA_USERNAME=" + kafkaUser,
            "--SIGNET_KAFKA_PASSWORD=kafka-password"));
  }

  /** Starts {@code application} under the production profile with {@code args}, then stops it. */
  public static void start(Class<?> application, List<String> args) {
    new SpringApplicationBuilder(application)
        .profiles("production")
        .run(args.toArray(String[]::new))
        .close();
  }

  /** {@code args} without the one that sets {@code variable}. */
  public static List<String> without(List<String> args, String variable) {
    List<String> kept = new ArrayList<>();
    for (String arg : args) {
      if (!arg.startsWith("--" + variable + "=")) {
        kept.add(arg);
      }
    }
    return kept;
  }

  /** A production environment with good Kafka credentials for {@code kafkaUser}. */
  public static MockEnvironment productionEnvironment(String kafkaUser) {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("spring.kafka.security.protocol", "SASL_SSL");
    environment.setProperty("signet.kafka.username", kafkaUser);
    environment.setProperty("signet.kafka.password", "kafka-password");
    return environment;
  }

  /**
   * Asserts that {@code check} refuses a production environment without Kafka credentials and with
   * the plaintext protocol, naming all three problems.
   */
  public static void assertRefusesKafkaWithoutCredentials(Consumer<Environment> check) {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.kafka.username", "${SIGNET_KAFKA_USERNAME}");
    environment.setProperty("spring.kafka.security.protocol", "PLAINTEXT");

    assertThatThrownBy(() -> check.accept(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_KAFKA_USERNAME (signet.kafka.username) is not set")
        .hasMessageContaining("SIGNET_KAFKA_PASSWORD (signet.kafka.password) is not set")
        .hasMessageContaining(
            "SIGNET_KAFKA_SECURITY_PROTOCOL (spring.kafka.security.protocol) must be SASL_SSL or"
                + " SASL_PLAINTEXT, not PLAINTEXT");
  }
}
