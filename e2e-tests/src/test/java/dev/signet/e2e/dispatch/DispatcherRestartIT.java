package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.events.serde.SignetAvroSerializer;
import dev.signet.testsupport.LocalStack;
import dev.signet.testsupport.SealedCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kills the dispatcher (SIGKILL, no shutdown) in the middle of a backlog of requested challenges
 * and starts it again with the same settings: every attempt ends SENT or FAILED, no number gets two
 * messages, every SENT attempt has exactly one message in the sandbox inbox, and the only failures
 * are the attempts that were claimed when the process died (resolved {@code UNKNOWN} by the
 * stale-claim sweep, never sent again). Runs on a stack of its own ({@code ./run --only
 * kafka,mongo,registry,sandbox} at the e2e port offset + 20) so that killing the dispatcher does
 * not take the shared stack down; the dispatcher runs from its packaged jar.
 */
class DispatcherRestartIT {

  private static final int CHALLENGES = 240;

  /**
   * The dispatcher's limit of attempts claimed and not yet recorded ({@code dispatch-concurrency}).
   */
  private static final int IN_FLIGHT = 48;

  private static LocalStack stack;
  private static final List<Process> dispatchers = new ArrayList<>();
  private static Properties secrets;
  private static int offset;

  @BeforeAll
  static void startStack() throws Exception {
    offset = RunningStack.portOffset() + 20;
    stack =
        LocalStack.start(
            RunningStack.launch(
                "restart-stack-" + offset,
                offset,
                Map.of(),
                List.of("--only", "kafka,mongo,registry,sandbox"),
                Duration.ofMinutes(3)));
    secrets = stack.secrets();
    // The launcher created the topics (3 partitions) as the admin; the test checks what it needs.
    try (Admin admin = Admin.create(stack.kafkaAdminClient())) {
      assertThat(
              admin
                  .describeTopics(List.of("auth.challenge.requested.v1"))
                  .allTopicNames()
                  .get(30, TimeUnit.SECONDS)
                  .get("auth.challenge.requested.v1")
                  .partitions())
          .hasSize(3);
    }
  }

  @AfterAll
  static void stopStack() throws InterruptedException {
    for (Process dispatcher : dispatchers) {
      dispatcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void killedInTheMiddleOfABacklogNothingIsLostAndNothingIsSentTwice() throws Exception {
    Process first = startDispatcher("first");
    Map<String, String> phoneByChallenge = new HashMap<>();
    try (KafkaProducer<String, Object> producer = producer()) {
      for (int i = 0; i < CHALLENGES; i++) {
        String challengeId =
            "ch_r" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        // Spread over the ten prefixes of the fictional range like real users' numbers: 240
        // consecutive numbers of one range are what SMS pumping looks like, and the send guard's
        // default (100 per prefix per hour) would block the rest.
        String phone = String.format("+4477009%d%04d", i % 10, i);
        phoneByChallenge.put(challengeId, phone);
        producer.send(
            new ProducerRecord<>(
                "auth.challenge.requested.v1",
                challengeId,
                SealedCodes.smsChallenge(
                    challengeId,
                    "restart-" + challengeId,
                    phone,
                    "424242",
                    SealedCodes.firstKey(secrets.getProperty("SIGNET_SEAL_KEYS")),
                    Instant.now())));
      }
      producer.flush();
    }

    // When the dispatcher has sent part of the backlog (30 per second by its provider rate), it
    // is killed without any chance to finish its batch.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> inbox().size() >= 40);
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    int sentBeforeKill = inbox().size();
    assertThat(sentBeforeKill).as("killed in the middle of the backlog").isLessThan(CHALLENGES);

    Process second = startDispatcher("second");
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  attempts().values().stream()
                          .filter(a -> !"CLAIMED".equals(a.getString("state")))
                          .count()
                      == CHALLENGES);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }

    Map<String, Integer> messagesPerNumber = new HashMap<>();
    Map<String, Set<String>> sendsPerNumber = new HashMap<>();
    for (JsonNode message : inbox()) {
      String to = message.path("to").asText();
      messagesPerNumber.merge(to, 1, Integer::sum);
      sendsPerNumber
          .computeIfAbsent(to, k -> new HashSet<>())
          .add(message.path("clientRef").asText());
    }
    Map<String, Document> attempts = attempts();
    assertThat(attempts).hasSize(CHALLENGES);
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> challenge : phoneByChallenge.entrySet()) {
      Document attempt = attempts.get(challenge.getKey() + ":1");
      int messages = messagesPerNumber.getOrDefault(challenge.getValue(), 0);
      // One send per attempt: every message to the number carries this attempt's reference.
      assertThat(sendsPerNumber.getOrDefault(challenge.getValue(), Set.of()))
          .as("sends to %s", challenge.getValue())
          .hasSizeLessThanOrEqualTo(1);
      if ("SENT".equals(attempt.getString("state"))) {
        // A provider call that timed out may have been accepted before it was retried (documented:
        // timeouts are retried), so the one process that held the claim may have put one message
        // in per call it made; a second process never sends a claimed attempt.
        assertThat(messages)
            .as("SENT attempt %s, %s", challenge.getKey(), attempt.toJson())
            .isBetween(1, attempt.getInteger("providerAttempts", 1));
      } else {
        assertThat(messages).as("messages to %s", challenge.getValue()).isLessThanOrEqualTo(1);
        // Claimed when the process died: never sent again, resolved by the sweep. The provider
        // may or may not have accepted it before the kill, so at most one message.
        assertThat(attempt.getString("state")).isEqualTo("FAILED");
        assertThat(attempt.getString("failureReason")).isEqualTo("UNKNOWN");
        unknown.add(challenge.getKey());
      }
    }
    // Only what was in flight at the kill can be unknown: at most the dispatcher's in-flight limit.
    assertThat(unknown.size()).isLessThanOrEqualTo(IN_FLIGHT);
    assertThat(messagesPerNumber.values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThanOrEqualTo(CHALLENGES - unknown.size());
    System.out.printf(
        "DispatcherRestartIT: %d challenges, %d sent before the kill, %d unknown after it%n",
        CHALLENGES, sentBeforeKill, unknown.size());
  }

  private static Process startDispatcher(String name) throws IOException {
    Path root = RunningStack.repositoryRoot();
    Path jar;
    try (var jars = Files.list(root.resolve("sms-dispatcher/target"))) {
      jar =
          jars.filter(p -> p.getFileName().toString().matches("sms-dispatcher-.*\\.jar"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("sms-dispatcher jar not built"));
    }
    int port = 8082 + offset;
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString()))
            .redirectErrorStream(true)
            .redirectOutput(
                root.resolve("e2e-tests/target/restart-dispatcher-" + name + ".log").toFile());
    var env = builder.environment();
    for (String key : secrets.stringPropertyNames()) {
      env.put(key, secrets.getProperty(key));
    }
    env.remove("SIGNET_TEST_NUMBERS");
    env.put("SIGNET_PORT", Integer.toString(port));
    // Loopback only, like the stack's own components.
    env.put("SERVER_ADDRESS", "127.0.0.1");
    env.put("SIGNET_MONGODB_URI", url("mongo") + "/signet-sms-dispatcher");
    env.put("SIGNET_KAFKA_BOOTSTRAP", stack.kafkaBootstrap());
    env.put("SIGNET_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("SIGNET_KAFKA_USERNAME", "sms-dispatcher");
    env.put("SIGNET_KAFKA_PASSWORD", secrets.getProperty("SIGNET_KAFKA_SMS_DISPATCHER_PASSWORD"));
    env.put(
        "SIGNET_SCHEMA_REGISTRY_USER_INFO",
        "schema-writer:" + secrets.getProperty("SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD"));
    env.put("SIGNET_SCHEMA_REGISTRY_URL", url("registry"));
    env.put("SIGNET_VONAGE_BASE_URI", url("sandbox"));
    // Claims left by the killed process are resolved within the test, not after 5 minutes.
    env.put("SIGNET_SMS_SENDDEADLINE", "10s");
    env.put("SIGNET_SMS_DISPATCHCONCURRENCY", Integer.toString(IN_FLIGHT));
    env.put("SIGNET_SMS_STALECLAIMAFTER", "20s");
    env.put("SIGNET_SMS_STALECLAIMSWEEPINTERVAL", "2s");
    Process process = builder.start();
    dispatchers.add(process);
    Http http = new Http();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("dispatcher " + name + " exited; see its log");
              }
              return http.get("http://127.0.0.1:" + port + "/actuator/health/readiness", null)
                      .status()
                  == 200;
            });
    return process;
  }

  private static KafkaProducer<String, Object> producer() {
    Properties config = new Properties();
    // As challenge-service, the only principal that may write requested challenges.
    config.putAll(stack.kafkaClient("challenge-service"));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
    config.put("schema.registry.url", url("registry"));
    config.put("basic.auth.credentials.source", "USER_INFO");
    config.put(
        "basic.auth.user.info",
        "schema-writer:" + secrets.getProperty("SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD"));
    return new KafkaProducer<>(config);
  }

  private static List<JsonNode> inbox() {
    JsonNode messages = new Http().get(url("sandbox") + "/inbox", null).body().path("messages");
    List<JsonNode> list = new ArrayList<>();
    messages.forEach(list::add);
    return list;
  }

  private static Map<String, Document> attempts() {
    Map<String, Document> byId = new HashMap<>();
    try (MongoClient client = MongoClients.create(url("mongo"))) {
      client
          .getDatabase("signet-sms-dispatcher")
          .getCollection("sms_attempts")
          .find()
          .forEach(doc -> byId.put(doc.getString("_id"), doc));
    }
    return byId;
  }

  private static String url(String name) {
    return stack.url(name);
  }
}
