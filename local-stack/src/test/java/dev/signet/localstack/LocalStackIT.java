package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the packaged launcher as its own process with Kafka and Mongo only, talks to both with the
 * real clients, stops it with SIGTERM as Ctrl-C or a test harness would, and checks that nothing
 * survives; a second start on the same data folder finds the data of the first.
 */
class LocalStackIT {

  /** Free ports picked per run: a fixed range may be held by another stack on the machine. */
  private static final int OFFSET = FreePortOffset.find();

  private static final String TOPIC = "local-stack-it";

  @TempDir Path dataDir;

  private final List<Process> launchers = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (Process p : launchers) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void runsKafkaAndMongoKeepsTheirDataAcrossRestartsAndLeavesNothingBehind() throws Exception {
    Process first = start();
    JsonNode stack = awaitStackJson(first);
    String bootstrap = stack.at("/components/kafka/url").asString();
    String mongoUri = stack.at("/components/mongo/url").asString();
    assertThat(bootstrap).isEqualTo("127.0.0.1:" + (9092 + OFFSET));
    assertThat(mongoUri).isEqualTo("mongodb://127.0.0.1:" + (27017 + OFFSET));
    assertThat(stack.get("components").propertyNames()).containsExactlyInAnyOrder("kafka", "mongo");
    assertThat(stack.get("apiSecret").asString()).isNotBlank();

    // Kafka authenticates: the admin of stack.json creates and writes, a client without
    // credentials is not served.
    Map<String, Object> admin = kafkaAdmin(stack);
    assertThat(stack.at("/kafka/principals").propertyNames())
        .contains("admin", "challenge-service", "external-consumer");
    produce(admin, "challenge-1", "first run");
    assertThat(consumeAll(admin)).containsExactly("challenge-1=first run");
    try (MongoClient client = MongoClients.create(mongoUri)) {
      collection(client).insertOne(new Document("_id", "doc-1").append("run", 1));
      assertThat(collection(client).find(new Document("_id", "doc-1")).first())
          .containsEntry("run", 1);
    }

    stopAndAssertNothingSurvives(first, stack);

    Process second = start();
    JsonNode again = awaitStackJson(second);
    assertThat(again.get("apiSecret").asString()).isEqualTo(stack.get("apiSecret").asString());
    assertThat(consumeAll(kafkaAdmin(again))).containsExactly("challenge-1=first run");
    try (MongoClient client = MongoClients.create(mongoUri)) {
      assertThat(collection(client).find(new Document("_id", "doc-1")).first())
          .containsEntry("run", 1);
    }
    stopAndAssertNothingSurvives(second, again);
  }

  private Process start() throws IOException {
    Process p =
        LauncherProcess.start(
            Path.of("target", "local-stack-it-launcher.log"),
            "--only",
            "kafka,mongo",
            "--port-offset",
            Integer.toString(OFFSET),
            "--data-dir",
            dataDir.toString(),
            "--quiet");
    launchers.add(p);
    return p;
  }

  private JsonNode awaitStackJson(Process launcher) throws IOException {
    Path file = dataDir.resolve("stack.json");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              assertThat(launcher.isAlive())
                  .as("launcher alive; see target/local-stack-it-launcher.log")
                  .isTrue();
              return Files.exists(file);
            });
    JsonNode json = JsonMapper.builder().build().readTree(Files.readString(file));
    assertThat(json.get("pid").asLong()).isEqualTo(launcher.pid());
    return json;
  }

  private void stopAndAssertNothingSurvives(Process launcher, JsonNode stack) throws Exception {
    List<ProcessHandle> children = launcher.descendants().toList();
    List<Long> componentPids = new ArrayList<>();
    stack.get("components").forEach(c -> componentPids.add(c.get("pid").asLong()));
    assertThat(children).extracting(ProcessHandle::pid).containsAll(componentPids);

    launcher.toHandle().destroy(); // SIGTERM, like Ctrl-C or a test harness's Process.destroy()

    assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    for (long pid : componentPids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
    for (Component c : List.of(Component.KAFKA, Component.MONGO)) {
      for (int port : c.ports(OFFSET)) {
        assertThat(Ports.isFree(port)).as("port %d of %s", port, c.id()).isTrue();
      }
    }
    assertThat(dataDir.resolve("stack.json")).doesNotExist();
    assertThat(dataDir.resolve("stack.pids")).doesNotExist();
    assertThat(Files.readString(dataDir.resolve("logs/kafka.log")))
        .contains("Kafka Server started")
        .contains("shut down completed");
  }

  private static MongoCollection<Document> collection(MongoClient client) {
    return client.getDatabase("signet-it").getCollection("documents");
  }

  /** Client settings of the stack's Kafka admin, read from stack.json. */
  private static Map<String, Object> kafkaAdmin(JsonNode stack) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.at("/components/kafka/url").asString());
    config.put(
        AdminClientConfig.SECURITY_PROTOCOL_CONFIG, stack.at("/kafka/securityProtocol").asString());
    config.put("sasl.mechanism", stack.at("/kafka/saslMechanism").asString());
    config.put(
        "sasl.jaas.config",
        KafkaBroker.scramJaas("admin", stack.at("/kafka/principals/admin").asString()));
    return config;
  }

  private static void produce(Map<String, Object> client, String key, String value)
      throws Exception {
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> consumeAll(Map<String, Object> client) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  seen.add(r.key() + "=" + r.value());
                }
                return !seen.isEmpty();
              });
    }
    return seen;
  }
}
