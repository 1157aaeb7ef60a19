package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs deploy/kafka/apply-kafka-plan.sh with the environment each broker of a compose file gives
 * it, against stand-ins for the Kafka admin tools that record their arguments: the topics it
 * creates get the replication factor and min.insync.replicas of that file, and only one broker of
 * the cluster applies the plan.
 */
class DockerComposeKafkaPlanTest {

  /** The admin tools: record each call; the first topic creation fails (brokers still joining). */
  private static final String TOOL =
      """
      #!/usr/bin/env bash
      echo "$(basename "$0") $*" >> "${FAKE_KAFKA_CALLS}"
      if [[ "$*" == *--create* && ! -f "${FAKE_KAFKA_CALLS}.joined" ]]; then
        touch "${FAKE_KAFKA_CALLS}.joined"
        echo "Replication factor: 3 larger than available brokers: 1." >&2
        exit 1
      fi
      """;

  private static Path root;
  private static Set<String> plannedTopics;

  @BeforeAll
  static void readThePlan() throws IOException {
    root = RepositoryRoot.find();
    plannedTopics = new TreeSet<>();
    for (String line : Files.readAllLines(root.resolve("deploy/kafka/topics.conf"))) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 5 && !fields[0].startsWith("#")) {
        plannedTopics.add(fields[0]);
        if (fields[4].equals("yes")) {
          plannedTopics.add(fields[0] + ".dlt");
        }
      }
    }
  }

  @Test
  void theSingleBrokerCreatesEveryTopicWithOneReplica(@TempDir Path dir) throws Exception {
    ComposeFile single = ComposeFile.read(root.resolve(RepositoryRoot.COMPOSE_FILE));
    Map<String, String> environment = ComposeFile.environment(single.services().get("kafka"));

    List<String> creations = creations(apply(dir, environment));

    assertThat(topics(creations)).isEqualTo(plannedTopics);
    assertThat(creations)
        .allMatch(call -> call.contains("--replication-factor 1 "))
        .allMatch(call -> call.contains("--config min.insync.replicas=1"));
  }

  @Test
  void inTheClusterNodeOneCreatesEveryTopicWithThreeReplicasAndMinIsrTwo(@TempDir Path dir)
      throws Exception {
    List<String> calls = apply(dir, clusterBroker("kafka"));
    List<String> creations = creations(calls);

    assertThat(topics(creations)).isEqualTo(plannedTopics);
    assertThat(creations)
        .allMatch(call -> call.contains("--replication-factor 3 "))
        .allMatch(call -> call.contains("--config min.insync.replicas=2"));
    assertThat(calls).as("users and ACLs set").anyMatch(call -> call.startsWith("kafka-acls.sh"));
  }

  @Test
  void theOtherBrokersOnlyWaitUntilTheyAnswer(@TempDir Path dir) throws Exception {
    for (String broker : List.of("kafka-2", "kafka-3")) {
      Path brokerDir = Files.createDirectories(dir.resolve(broker));
      List<String> calls = apply(brokerDir, clusterBroker(broker));

      assertThat(calls)
          .as("%s only lists topics on itself", broker)
          .isNotEmpty()
          .allMatch(
              call ->
                  call.startsWith("kafka-topics.sh --bootstrap-server " + broker + ":9092 ")
                      && call.contains("--list"));
      assertThat(brokerDir.resolve("marker")).as("%s becomes healthy", broker).exists();
    }
  }

  /** Runs the plan script with a compose service's environment; returns the admin tools' calls. */
  private static List<String> apply(Path dir, Map<String, String> composeEnvironment)
      throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("kafka/bin"));
    for (String tool : List.of("kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh")) {
      Path file = bin.resolve(tool);
      Files.writeString(file, TOOL);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }
    Path calls = dir.resolve("calls.log");
    Files.writeString(calls, "");
    ProcessBuilder process =
        new ProcessBuilder("bash", root.resolve("deploy/kafka/apply-kafka-plan.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.log").toFile());
    Map<String, String> environment = process.environment();
    composeEnvironment.forEach(
        (key, value) -> {
          if (key.startsWith("SIGNET_") && value != null && !value.contains("${")) {
            environment.put(key, value);
          }
        });
    environment.putAll(
        Map.of(
            "KAFKA_HOME", dir.resolve("kafka").toString(),
            "FAKE_KAFKA_CALLS", calls.toString(),
            "SIGNET_ACL_PLAN", root.resolve("deploy/kafka/acls.conf").toString(),
            "SIGNET_TOPIC_PLAN", root.resolve("deploy/kafka/topics.conf").toString(),
            "SIGNET_KAFKA_PLAN_MARKER", dir.resolve("marker").toString(),
            "SIGNET_KAFKA_PLAN_STATE", dir.resolve("state").toString(),
            "SIGNET_KAFKA_ADMIN_CONFIG", dir.resolve("admin.properties").toString(),
            "SIGNET_KAFKA_PLAN_RETRY_SECONDS", "0",
            "SIGNET_KAFKA_CHALLENGE_SERVICE_PASSWORD", "a-password"));
    Process run = process.start();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("plan script finished").isTrue();
    String output = Files.readString(dir.resolve("output.log"), StandardCharsets.UTF_8);
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(dir.resolve("marker")).as(output).exists();
    return Files.readAllLines(calls);
  }

  private static List<String> creations(List<String> calls) {
    return calls.stream()
        .filter(call -> call.contains("--create"))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  private static Set<String> topics(List<String> creations) {
    Set<String> topics = new TreeSet<>();
    for (String call : creations) {
      String[] words = call.split(" ");
      for (int i = 0; i < words.length - 1; i++) {
        if (words[i].equals("--topic")) {
          topics.add(words[i + 1]);
        }
      }
    }
    return topics;
  }

  /** A broker's environment in the merged cluster variant. */
  private static Map<String, String> clusterBroker(String name) throws IOException {
    Map<String, Map<String, Object>> services =
        ComposeProject.services(
            List.of(
                ComposeFile.read(root.resolve(RepositoryRoot.COMPOSE_FILE)),
                ComposeFile.read(root.resolve(DockerComposeClusterFileTest.CLUSTER_FILE))));
    return ComposeFile.environment(services.get(name));
  }
}
