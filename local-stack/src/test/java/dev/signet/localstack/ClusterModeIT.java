package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./run --cluster} (without audit-service and Zipkin, to keep it short): three brokers
 * holding every topic of the plan (and its dead-letter topic) with three replicas and {@code
 * min.insync.replicas=2}, two instances of each service, and a challenge sent through the gateway
 * reaching the sandbox, also while one challenge-service instance is killed and held down.
 */
class ClusterModeIT {

  private static final int OFFSET = FreePortOffset.find();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dataDir;

  private Process launcher;

  @AfterEach
  void stop() throws InterruptedException {
    if (launcher != null) {
      launcher.toHandle().destroy();
      if (!launcher.waitFor(120, TimeUnit.SECONDS)) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
      }
    }
  }

  @Test
  void runsThreeReplicatedBrokersAndTwoInstancesOfEachServiceBehindTheGateway() throws Exception {
    Path log = Path.of("target", "cluster-mode-it-launcher.log");
    Files.deleteIfExists(log);
    launcher =
        LauncherProcess.start(
            log,
            "--cluster",
            // What a challenge needs on its way to the sandbox: audit-service and Zipkin would
            // only make the start longer.
            "--only",
            "kafka,mongo,registry,sandbox,challenge,rules,dispatcher",
            "--in-memory",
            "--port-offset",
            Integer.toString(OFFSET),
            "--data-dir",
            dataDir.toString(),
            "--timeout",
            "420",
            "--quiet");
    JsonNode stack = awaitStackJson(log);

    for (String service : List.of("challenge", "rules", "dispatcher")) {
      assertThat(stack.at("/components/" + service + "-2/of").asString()).isEqualTo(service);
      assertThat(stack.at("/components/" + service + "-2/port").asInt())
          .isNotEqualTo(stack.at("/components/" + service + "/port").asInt());
    }
    assertThat(stack.at("/kafka/bootstrap").asString().split(",")).hasSize(3);
    assertEveryPlannedTopicHasThreeReplicasAndMinInSyncTwo(stack);

    String gateway = stack.at("/components/gateway/url").asString();
    String sandbox = stack.at("/components/sandbox/url").asString();
    String secret = stack.get("apiSecret").asString();
    assertThat(challenge(gateway, secret, "+447700900301")).isEqualTo(200);
    awaitSms(sandbox, "+447700900301");

    // One challenge-service instance killed and kept down: the gateway sends every request to
    // the other one (a refused connection is retried elsewhere; the health checks take it out).
    Files.createDirectories(dataDir.resolve("hold"));
    Files.writeString(dataDir.resolve("hold/challenge-2"), "");
    ProcessHandle.of(stack.at("/components/challenge-2/pid").asLong())
        .orElseThrow()
        .destroyForcibly();
    // The launcher notices the exit and takes the instance out of the gateway's rotation at once.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(log).contains("challenge-2 exited with code 137; held down"));
    for (int i = 0; i < 4; i++) {
      String phone = "+44770090031" + i;
      assertThat(challenge(gateway, secret, phone)).as("challenge %d", i).isEqualTo(200);
      awaitSms(sandbox, phone);
    }
    assertThat(Files.readString(dataDir.resolve("logs/gateway.log")))
        .contains("challenge-2 is out of rotation (exited)");
  }

  private JsonNode awaitStackJson(Path log) throws IOException {
    Path file = dataDir.resolve("stack.json");
    await()
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(launcher.isAlive())
                  .as("launcher alive; its output: %s", Files.readString(log))
                  .isTrue();
              return Files.exists(file);
            });
    return JSON.readTree(Files.readString(file));
  }

  private static void assertEveryPlannedTopicHasThreeReplicasAndMinInSyncTwo(JsonNode stack)
      throws Exception {
    // The production topic plan: name, partitions, cleanup, retention, dead-letter topic or not.
    List<String> topics = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "deploy", "kafka", "topics.conf"))) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 5 && !f[0].startsWith("#")) {
        topics.add(f[0]);
        if (f[4].equals("yes")) {
          topics.add(f[0] + ".dlt");
        }
      }
    }
    assertThat(topics).hasSizeGreaterThan(40);
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.at("/kafka/bootstrap").asString());
    config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put(
        "sasl.jaas.config",
        KafkaBroker.scramJaas("admin", stack.at("/kafka/principals/admin").asString()));
    try (Admin admin = Admin.create(config)) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
      Map<String, TopicDescription> described =
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(described).hasSize(topics.size());
      described.forEach(
          (name, d) ->
              d.partitions()
                  .forEach(p -> assertThat(p.replicas()).as("replicas of %s", name).hasSize(3)));
      List<ConfigResource> resources =
          topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      configs.forEach(
          (resource, c) ->
              assertThat(c.get("min.insync.replicas").value())
                  .as("min.insync.replicas of %s", resource.name())
                  .isEqualTo("2"));
    }
  }

  private static int challenge(String gateway, String secret, String phone) throws Exception {
    String basic =
        Base64.getEncoder().encodeToString((secret + ":").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(gateway + "/v1/challenge"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                            + phone
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private static void awaitSms(String sandbox, String phone) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                HTTP.send(
                        HttpRequest.newBuilder(
                                URI.create(sandbox + "/inbox?to=" + phone.replace("+", "%2B")))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"to\":\"" + phone + "\""));
  }
}
