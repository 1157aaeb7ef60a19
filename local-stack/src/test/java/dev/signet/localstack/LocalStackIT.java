package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The life of a local stack, in the order a newcomer lives it, on one start of the packaged
 * launcher (each whole-stack start costs a minute or more on a small machine, so the steps share
 * it):
 *
 * <ol>
 *   <li>the first {@code ./run} of a fresh clone: the whole stack (Kafka, MongoDB-wire server,
 *       Zipkin, registry, sandbox and the four services, from the jars the reactor built) starts on
 *       an empty data folder, and no component logs a warning or an error while starting nor in the
 *       seconds after (a missing topic, a consumer's first metadata fetch, a probe that times out
 *       on a busy machine: each would greet the user with a WARN that is not theirs to fix);
 *   <li>Kafka authenticates (the admin of stack.json creates and writes) and MongoDB stores;
 *   <li>the launcher supervises: a component killed with {@code kill -9} is started again, says so
 *       in the launcher's log, is ready again, and stack.json names its new pid;
 *   <li>SIGTERM, as Ctrl-C or a test harness sends it, stops everything and leaves no process, no
 *       port and no run file behind; a second start (Kafka and MongoDB only) on the same data
 *       folder finds the first start's data and secrets.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

  /**
   * A log line at WARN or ERROR in any of the stack's formats: Spring Boot's {@code <timestamp>
   * WARN <pid> ---}, and slf4j-simple's {@code <time> [<thread>] WARN <logger>} (Kafka and the
   * MongoDB-wire server). Continuation lines of a stack trace follow such a line.
   */
  private static final Pattern WARN_OR_ERROR =
      Pattern.compile("^\\S+ +(\\[[^\\]]+\\] +)?(WARN|ERROR) ");

  /** How long the logs must stay clean after the stack reported ready. */
  private static final Duration QUIET_AFTER_READY = Duration.ofSeconds(15);

  /** Free ports picked per run: a fixed range may be held by another stack on the machine. */
  private static final int OFFSET = FreePortOffset.find();

  private static final Path LOG = Path.of("target", "local-stack-it-launcher.log");
  private static final String TOPIC = "local-stack-it";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dataDir;

  private final List<Process> launchers = new ArrayList<>();
  private Process first;
  private JsonNode stack;

  @BeforeAll
  void startTheWholeStackOnAnEmptyDataFolder() throws IOException {
    Files.deleteIfExists(LOG);
    first = start("--timeout", "300");
    stack = awaitStackJson(first, -1);
  }

  @AfterAll
  void killLeftovers() {
    for (Process p : launchers) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  @Order(1)
  void aFirstStartOfTheWholeStackLogsNoWarningAndNoError() throws IOException {
    assertThat(Files.readString(LOG)).contains("Kafka users, ACLs and topics are in place");
    await()
        .during(QUIET_AFTER_READY)
        .atMost(QUIET_AFTER_READY.plusSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(warningsAndErrors()).isEmpty());
    assertThat(logFiles())
        .extracting(p -> p.getFileName().toString())
        .contains(
            "kafka.log",
            "mongo.log",
            "zipkin.log",
            "registry.log",
            "sandbox.log",
            "challenge.log",
            "rules.log",
            "dispatcher.log",
            "audit.log");
  }

  @Test
  @Order(2)
  void kafkaAuthenticatesItsAdminAndMongoStores() throws Exception {
    assertThat(stack.at("/components/kafka/url").asString()).isEqualTo(kafkaUrl());
    assertThat(stack.at("/components/mongo/url").asString()).isEqualTo(mongoUrl());
    assertThat(stack.get("apiSecret").asString()).isNotBlank();
    assertThat(stack.at("/kafka/principals").propertyNames())
        .contains("admin", "challenge-service", "external-consumer");

    Map<String, Object> admin = kafkaAdmin(stack);
    produce(admin, "challenge-1", "first run");
    assertThat(consumeAll(admin)).containsExactly("challenge-1=first run");
    try (MongoClient client = MongoClients.create(mongoUrl())) {
      collection(client).insertOne(new Document("_id", "doc-1").append("run", 1));
      assertThat(collection(client).find(new Document("_id", "doc-1")).first())
          .containsEntry("run", 1);
    }
  }

  @Test
  @Order(3)
  void aComponentKilledWithSignalNineIsStartedAgainUntilItIsReady() throws Exception {
    long killed = stack.at("/components/registry/pid").asLong();
    String health = stack.at("/components/registry/url").asString() + "/actuator/health";

    ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL, as kill -9

    stack = awaitStackJson(first, killed);
    long restarted = stack.at("/components/registry/pid").asLong();
    assertThat(ProcessHandle.of(restarted).map(ProcessHandle::isAlive)).contains(true);
    assertThat(first.descendants().map(ProcessHandle::pid)).contains(restarted);
    HttpResponse<String> up =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(health)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"UP\"");
    assertThat(Files.readString(LOG))
        .contains("registry exited with code 137; restarting it in 1 s")
        .contains("registry is running again")
        .doesNotContain("Stopping the stack");
    assertThat(first.isAlive()).isTrue();
  }

  @Test
  @Order(4)
  void aStopLeavesNothingBehindAndASecondStartFindsTheFirstStartsData() throws Exception {
    stopAndAssertNothingSurvives(first, stack);

    Process second = start("--only", "kafka,mongo");
    JsonNode again = awaitStackJson(second, -1);
    assertThat(again.get("components").propertyNames()).containsExactlyInAnyOrder("kafka", "mongo");
    assertThat(again.get("apiSecret").asString()).isEqualTo(stack.get("apiSecret").asString());
    assertThat(consumeAll(kafkaAdmin(again))).containsExactly("challenge-1=first run");
    try (MongoClient client = MongoClients.create(mongoUrl())) {
      assertThat(collection(client).find(new Document("_id", "doc-1")).first())
          .containsEntry("run", 1);
    }
    stopAndAssertNothingSurvives(second, again);
  }

  private Process start(String... options) throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--port-offset",
                Integer.toString(OFFSET),
                "--data-dir",
                dataDir.toString(),
                "--quiet"));
    all.addAll(List.of(options));
    Process p = LauncherProcess.start(LOG, all.toArray(String[]::new));
    launchers.add(p);
    return p;
  }

  /** stack.json of {@code launcher} once it names a registry pid other than {@code notRegistry}. */
  private JsonNode awaitStackJson(Process launcher, long notRegistry) {
    Path file = dataDir.resolve("stack.json");
    JsonNode[] json = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(launcher.isAlive()).as("launcher alive; see %s", LOG).isTrue();
              json[0] = JSON.readTree(Files.readString(file));
              return json[0].get("pid").asLong() == launcher.pid()
                  && (notRegistry < 0
                      || json[0].at("/components/registry/pid").asLong() != notRegistry);
            });
    return json[0];
  }

  private void stopAndAssertNothingSurvives(Process launcher, JsonNode stack) throws Exception {
    List<ProcessHandle> children = launcher.descendants().toList();
    List<Long> componentPids = new ArrayList<>();
    stack.get("components").forEach(c -> componentPids.add(c.get("pid").asLong()));
    assertThat(children).extracting(ProcessHandle::pid).containsAll(componentPids);

    launcher.toHandle().destroy(); // SIGTERM, like Ctrl-C or a test harness's Process.destroy()

    assertThat(launcher.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    for (long pid : componentPids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
    for (Component c : EnumSet.allOf(Component.class)) {
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

  private static String kafkaUrl() {
    return "127.0.0.1:" + (9092 + OFFSET);
  }

  private static String mongoUrl() {
    return "mongodb://127.0.0.1:" + (27017 + OFFSET);
  }

  /** Every WARN or ERROR line of every component's log, prefixed with the log's name. */
  private List<String> warningsAndErrors() {
    List<String> found = new ArrayList<>();
    for (Path log : logFiles()) {
      try {
        // Decoded leniently: a log may end in the middle of a character while it is written.
        new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
            .lines()
            .filter(line -> WARN_OR_ERROR.matcher(line).find())
            .forEach(line -> found.add(log.getFileName() + ": " + line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private List<Path> logFiles() {
    try (Stream<Path> files = Files.list(dataDir.resolve("logs"))) {
      return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
