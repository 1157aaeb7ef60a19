package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka and the schema registry of the production docker-compose.yml are closed to anyone without
 * credentials, as the local stack's are: every broker listener authenticates (SASL), the authorizer
 * denies what deploy/kafka/acls.conf does not grant, the admin alone is a super user, each Signet
 * service connects as its own principal with its own password, and the registry's writes need the
 * writer's credential. Read from the file, without a Docker engine.
 */
class DockerComposeKafkaSecurityTest {

  private static Path root;
  private static Map<String, Map<String, Object>> services;
  private static Set<String> plannedPrincipals;

  @BeforeAll
  static void readComposeFile() throws IOException {
    root = RepositoryRoot.find();
    services = ComposeFile.read(root.resolve(RepositoryRoot.COMPOSE_FILE)).services();
    plannedPrincipals = new TreeSet<>();
    for (String line : Files.readAllLines(root.resolve("deploy/kafka/acls.conf"))) {
      String trimmed = line.trim();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        plannedPrincipals.add(trimmed.split("\\s+")[0]);
      }
    }
  }

  private static Map<String, String> environment(String service) {
    return ComposeFile.environment(services.get(service));
  }

  @Test
  void everyListenerAuthenticatesAndOnlyTheAccessPlanIsAllowed() throws IOException {
    Map<String, String> kafka = environment("kafka");

    for (String listener : kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
      assertThat(listener.split(":")[1]).as("listener %s", listener).startsWith("SASL_");
    }
    assertThat(kafka)
        .containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
        .containsEntry(
            "KAFKA_AUTHORIZER_CLASS_NAME",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
        .containsEntry("KAFKA_SUPER_USERS", "User:admin");
    // The plan (SCRAM users and ACLs) is applied by the broker's own start script.
    assertThat(services.get("kafka").get("command").toString()).contains("start-kafka.sh");
    assertThat(Files.readString(root.resolve("deploy/kafka/start-kafka.sh")))
        .contains("apply-kafka-plan.sh");
    assertThat(services.get("kafka").get("volumes").toString()).contains("./deploy/kafka:/signet");
    // Every principal of the plan gets a password, which the broker's plan script reads.
    for (String principal : plannedPrincipals) {
      assertThat(kafka).as("password of %s", principal).containsKey(passwordVariable(principal));
    }
  }

  @Test
  void eachSignetServiceConnectsAsItsOwnPrincipal() {
    for (String service : DockerComposeFileTest.SIGNET_SERVICES.keySet()) {
      Map<String, String> environment = environment(service);
      assertThat(environment)
          .as(service)
          .containsEntry("SIGNET_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
          .containsEntry("SIGNET_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
          .containsEntry("SIGNET_KAFKA_USERNAME", service);
      assertThat(environment.get("SIGNET_KAFKA_PASSWORD"))
          .as("%s password", service)
          .startsWith("${" + passwordVariable(service) + ":?");
      assertThat(plannedPrincipals).as("principals of acls.conf").contains(service);
      assertThat(environment.get("SIGNET_SCHEMA_REGISTRY_USER_INFO"))
          .as("%s registry credential", service)
          .startsWith("schema-writer:${SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD:?");
    }
  }

  @Test
  void theSchemaRegistryNeedsTheWritersCredentialAndUsesItsOwnPrincipal() throws IOException {
    Map<String, Object> registry = services.get("schema-registry");
    Map<String, String> environment = environment("schema-registry");

    assertThat(registry.get("entrypoint").toString()).contains("/signet/start-schema-registry.sh");
    assertThat(registry.get("volumes").toString()).contains("./deploy/schema-registry:/signet");
    assertThat(environment)
        .containsEntry("SCHEMA_REGISTRY_AUTHENTICATION_METHOD", "BASIC")
        .containsEntry("SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
        .containsEntry("SCHEMA_REGISTRY_KAFKASTORE_SASL_MECHANISM", "SCRAM-SHA-512");
    assertThat(environment.get("SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG"))
        .contains("username=\"schema-registry\"")
        .contains("${" + passwordVariable("schema-registry") + ":?");
    assertThat(environment.get("SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD"))
        .startsWith("${SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD:?");
    String start =
        Files.readString(root.resolve("deploy/schema-registry/start-schema-registry.sh"));
    assertThat(start)
        .contains(": \"${SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD:?")
        .contains("java.security.auth.login.config");
  }

  /** {@code SIGNET_KAFKA_<PRINCIPAL>_PASSWORD}, as deploy/kafka/apply-kafka-plan.sh reads it. */
  private static String passwordVariable(String principal) {
    return "SIGNET_KAFKA_" + principal.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
  }
}
