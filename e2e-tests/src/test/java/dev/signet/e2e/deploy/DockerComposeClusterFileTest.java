package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validates the cluster variant without a Docker engine: docker-compose.yml merged with
 * docker-compose.cluster.yml as Compose merges them runs three consistent KRaft brokers replicating
 * every topic three times, two instances of each Signet service without host ports, and a
 * health-checked HAProxy (deploy/haproxy/haproxy.cfg) on the ports the single-host file publishes.
 */
class DockerComposeClusterFileTest {

  static final String CLUSTER_FILE = "docker-compose.cluster.yml";
  static final List<String> BROKERS = List.of("kafka", "kafka-2", "kafka-3");
  private static final Map<String, Integer> SIGNET_SERVICES = DockerComposeFileTest.SIGNET_SERVICES;

  /** Broker settings that differ from node to node; everything else is the same on all three. */
  private static final Set<String> PER_NODE =
      Set.of(
          "KAFKA_NODE_ID",
          "KAFKA_ADVERTISED_LISTENERS",
          "SIGNET_KAFKA_PLAN_APPLY",
          "SIGNET_KAFKA_PLAN_BOOTSTRAP");

  private static Path root;
  private static ComposeFile single;
  private static ComposeFile override;
  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  static void mergeTheFiles() throws IOException {
    root = RepositoryRoot.find();
    single = ComposeFile.read(root.resolve(RepositoryRoot.COMPOSE_FILE));
    override = ComposeFile.read(root.resolve(CLUSTER_FILE));
    services = ComposeProject.services(List.of(single, override));
  }

  static Map<String, String> environment(String service) {
    return ComposeFile.environment(services.get(service));
  }

  @Test
  void runsThreeCombinedKraftNodesWhoseIdsMatchTheVoters() {
    Map<Integer, String> voters = new TreeMap<>();
    String declared = environment("kafka").get("KAFKA_CONTROLLER_QUORUM_VOTERS");
    for (String voter : declared.split(",")) {
      String[] idHost = voter.split("@");
      voters.put(Integer.valueOf(idHost[0]), idHost[1]);
    }
    Map<Integer, String> nodes = new TreeMap<>();
    for (String broker : BROKERS) {
      Map<String, Object> service = services.get(broker);
      Map<String, String> environment = environment(broker);
      assertThat(service.get("image")).isEqualTo(services.get("kafka").get("image"));
      assertThat(service.get("hostname")).as("%s hostname", broker).isEqualTo(broker);
      assertThat(environment)
          .as("%s", broker)
          .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
          .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", declared);
      assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS"))
          .as("%s advertises itself to the other brokers", broker)
          .startsWith("INTERNAL://" + broker + ":9092,");
      nodes.put(Integer.valueOf(environment.get("KAFKA_NODE_ID")), broker + ":9093");
    }
    assertThat(nodes).as("node id -> controller address").isEqualTo(voters).hasSize(3);
  }

  @Test
  void brokersShareEverySettingButTheirIdentityAndKeepTheirOwnDataAndPorts() {
    Map<String, String> first = withoutPerNode(environment("kafka"));
    Set<String> volumes = new LinkedHashSet<>();
    Set<String> ports = new LinkedHashSet<>();
    for (String broker : BROKERS) {
      assertThat(withoutPerNode(environment(broker))).as("%s settings", broker).isEqualTo(first);
      assertThat(services.get(broker).get("command"))
          .isEqualTo(services.get("kafka").get("command"));
      volumes.addAll(stringList(services.get(broker).get("volumes")));
      List<String> published = stringList(services.get(broker).get("ports"));
      assertThat(published).as("%s ports", broker).hasSize(1);
      ports.add(published.get(0).replaceAll(":[0-9]+$", ""));
      assertThat(healthCheck(broker)).as("%s checks itself", broker).contains(broker + ":9092");
    }
    assertThat(volumes.stream().filter(v -> v.endsWith(":/var/lib/kafka/data")).distinct())
        .as("one data volume per broker")
        .hasSize(3);
    assertThat(ports).as("one host port per broker").hasSize(3);
    assertThat(first)
        .containsEntry(
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
            "INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT")
        .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false");
  }

  @Test
  void everyTopicIncludingOffsetsTransactionsAndSchemasIsReplicatedThreeTimes() {
    for (String broker : BROKERS) {
      assertThat(environment(broker))
          .as("%s", broker)
          .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
          .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
          .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
          .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
          .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
          .containsEntry("SIGNET_KAFKA_REPLICATION_FACTOR", "3")
          .containsEntry("SIGNET_KAFKA_MIN_INSYNC_REPLICAS", "2");
    }
    assertThat(
            BROKERS.stream()
                .filter(b -> !"false".equals(environment(b).get("SIGNET_KAFKA_PLAN_APPLY"))))
        .as("brokers that apply the Kafka plan")
        .containsExactly("kafka");
    assertThat(environment("schema-registry"))
        .containsEntry("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "3");
    assertThat(environment("schema-registry").get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"))
        .contains("kafka:9092", "kafka-2:9092", "kafka-3:9092");
  }

  @Test
  void eachSignetServiceRunsTwoInstancesWithoutHostPortsOnAllThreeBrokers() {
    SIGNET_SERVICES
        .keySet()
        .forEach(
            name -> {
              Map<String, Object> service = services.get(name);
              assertThat(ComposeFile.at(service, "deploy", "replicas"))
                  .as("%s replicas", name)
                  .isEqualTo(2);
              assertThat(stringList(service.get("ports"))).as("%s host ports", name).isEmpty();
              assertThat(service)
                  .as("%s: replicas need generated names", name)
                  .doesNotContainKeys("container_name", "hostname");
              assertThat(environment(name))
                  .as("%s: each replica derives its own Kafka instance id", name)
                  .doesNotContainKey("SIGNET_INSTANCE_ID")
                  .containsEntry("SIGNET_KAFKA_BOOTSTRAP", "kafka:9092,kafka-2:9092,kafka-3:9092");
              assertThat(ComposeFile.map(service.get("depends_on")))
                  .as("%s waits for every broker", name)
                  .containsKeys(BROKERS.toArray(String[]::new));
              assertThat(ComposeFile.at(service, "deploy", "resources", "limits", "memory"))
                  .as("%s keeps its memory limit", name)
                  .isNotNull();
            });
  }

  @Test
  void theProxyPublishesTheSingleHostPortsOfTheHttpServices() {
    Set<String> singleHostPorts = new TreeSet<>();
    SIGNET_SERVICES
        .keySet()
        .forEach(
            name -> singleHostPorts.addAll(stringList(single.services().get(name).get("ports"))));
    Map<String, Object> proxy = services.get("proxy");
    assertThat(String.valueOf(proxy.get("image"))).startsWith("haproxy:");
    assertThat(new TreeSet<>(stringList(proxy.get("ports")))).isEqualTo(singleHostPorts);
    assertThat(ComposeFile.at(proxy, "deploy", "resources", "limits", "memory")).isNotNull();
    assertThat(proxy.get("restart")).isEqualTo("unless-stopped");
    assertThat(healthCheck("proxy")).contains("/healthz");
  }

  @Test
  void theProxyChecksTheReadinessOfEveryReplicaItFindsThroughDockerDns() throws IOException {
    HaproxyConfig config = HaproxyConfig.read(root.resolve("deploy/haproxy/haproxy.cfg"));
    assertThat(stringList(services.get("proxy").get("volumes")))
        .contains("./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro");
    assertThat(config.section("resolvers docker")).contains("nameserver docker 127.0.0.11:53");
    assertThat(config.section("defaults"))
        .anyMatch(
            line ->
                line.startsWith("default-server ")
                    && line.contains(" resolvers docker")
                    && line.contains(" check")
                    && line.contains("init-addr none"));
    assertThat(config.section("frontend monitor")).contains("monitor-uri /healthz");
    SIGNET_SERVICES.forEach(
        (name, port) -> {
          List<String> frontend = config.frontendBinding(port);
          assertThat(frontend).as("frontend on :%s", port).isNotEmpty();
          String backendName =
              frontend.stream()
                  .filter(l -> l.startsWith("default_backend "))
                  .findFirst()
                  .orElseThrow()
                  .substring("default_backend ".length());
          assertThat(backendName).isEqualTo(name);
          assertThat(config.section("backend " + backendName))
              .as("backend %s", backendName)
              .contains(
                  "option httpchk",
                  "http-check expect status 200",
                  "http-check send meth GET uri /actuator/health/readiness")
              .anyMatch(
                  line ->
                      line.matches(
                          "server-template " + name + " [2-9][0-9]* " + name + ":" + port));
        });
  }

  @Test
  void everyMergedServiceIsHealthCheckedLimitedRestartedAndWaitsForHealthyDependencies() {
    services.forEach(
        (name, service) -> {
          assertThat(healthCheck(name)).as("%s health check", name).isNotBlank();
          assertThat(ComposeFile.at(service, "deploy", "resources", "limits", "memory"))
              .as("%s memory limit", name)
              .isNotNull();
          assertThat(String.valueOf(service.get("restart")))
              .as("%s restart", name)
              .isEqualTo("unless-stopped");
          ComposeFile.map(service.get("depends_on"))
              .forEach(
                  (dependency, condition) -> {
                    assertThat(services)
                        .as("%s depends on %s", name, dependency)
                        .containsKey(dependency);
                    assertThat(ComposeFile.at(ComposeFile.map(condition), "condition"))
                        .isEqualTo("service_healthy");
                  });
          for (String volume : stringList(service.get("volumes"))) {
            if (volume.startsWith(".")) {
              assertThat(root.resolve(volume.split(":", 2)[0]).normalize())
                  .as("%s bind mount", name)
                  .exists();
            }
          }
        });
  }

  @Test
  void everyVariableTheOverrideReadsIsDocumentedInTheOperationsGuide() throws IOException {
    assertThat(DockerComposeFileTest.undocumentedVariables(root, override))
        .as("variables missing from docs/operations.md")
        .isEmpty();
    assertThat(Files.readString(root.resolve("docs/operations.md")))
        .contains("docker compose -f docker-compose.yml -f " + CLUSTER_FILE + " up -d");
  }

  private static Map<String, String> withoutPerNode(Map<String, String> environment) {
    Map<String, String> shared = new LinkedHashMap<>(environment);
    PER_NODE.forEach(shared::remove);
    return shared;
  }

  private static String healthCheck(String service) {
    return DockerComposeFileTest.healthCheckCommand(services.get(service));
  }

  private static List<String> stringList(Object node) {
    List<String> strings = new ArrayList<>();
    if (node instanceof List<?> list) {
      list.forEach(item -> strings.add(String.valueOf(item)));
    }
    return strings;
  }

  /**
   * haproxy.cfg as sections (a line without indentation opens one) of trimmed, uncommented lines.
   */
  record HaproxyConfig(Map<String, List<String>> sections) {

    private static final Pattern BIND = Pattern.compile("bind \\S*:(\\d+)");

    static HaproxyConfig read(Path file) throws IOException {
      Map<String, List<String>> sections = new LinkedHashMap<>();
      List<String> current = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        String text = line.replaceAll("#.*$", "").strip();
        if (text.isEmpty()) {
          continue;
        }
        if (!Character.isWhitespace(line.charAt(0))) {
          current = new ArrayList<>();
          sections.put(text.replaceAll("\\s+", " "), current);
        } else {
          current.add(text.replaceAll("\\s+", " "));
        }
      }
      return new HaproxyConfig(sections);
    }

    List<String> section(String name) {
      return sections.getOrDefault(name, List.of());
    }

    /** The lines of the frontend that binds {@code port}, or none. */
    List<String> frontendBinding(int port) {
      for (Map.Entry<String, List<String>> section : sections.entrySet()) {
        if (!section.getKey().startsWith("frontend ")) {
          continue;
        }
        for (String line : section.getValue()) {
          Matcher bind = BIND.matcher(line);
          if (bind.matches() && Integer.parseInt(bind.group(1)) == port) {
            return section.getValue();
          }
        }
      }
      return List.of();
    }
  }
}
