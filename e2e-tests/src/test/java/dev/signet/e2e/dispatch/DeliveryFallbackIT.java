package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.events.policy.RouteEntry;
import dev.signet.events.policy.RoutingRule;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.policy.VelocityLimit;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Delivery-confirmed fallback on a stack of its own ({@code ./run --only
 * kafka,mongo,registry,sandbox} at the e2e port offset + 20), the dispatcher started from its
 * packaged jar by the test, so it can be killed: GB is routed Vonage SMS API first, Twilio second
 * (a send policy published as rules-service would), with a fallback window of {@value #WINDOW_S} s.
 * A Vonage that accepts but never delivers has every code sent once more through Twilio after the
 * window, exactly one extra message per attempt; a dispatcher killed (SIGKILL) in the middle of a
 * backlog, with provider calls held in flight by the sandbox, leaves no user without a code: every
 * attempt ends delivered, with at most one extra message; a message the provider took though the
 * dispatcher died waiting is settled by its receipt (no second message), one the provider dropped
 * is sent once more, the same code.
 */
class DeliveryFallbackIT {

  private static final int CHALLENGES = 150;
  private static final int WINDOW_S = 4;

  /** Challenges sent as usual before the provider starts holding calls. */
  private static final int FIRST_PART = 40;

  /**
   * The dispatcher's limit of attempts claimed and not yet recorded ({@code dispatch-concurrency}).
   */
  private static final int IN_FLIGHT = 48;

  /**
   * Provider calls held in flight at the kill: the sandbox holds the next sends to Vonage for
   * {@value #HOLD_MS} ms (less than the dispatcher's call timeout, {@value #CALL_TIMEOUT_MS} ms
   * here, so they are still waiting for their answer when it dies), takes the first {@value
   * #HELD_TAKEN} anyway when their client is gone, and drops the next {@value #HELD_DROPPED}.
   */
  private static final int HELD_TAKEN = 6;

  private static final int HELD_DROPPED = 6;
  private static final int HOLD_MS = 4000;
  private static final int CALL_TIMEOUT_MS = 4500;

  private static LocalStack stack;
  private static final List<Process> dispatchers = new ArrayList<>();
  private static Properties secrets;
  private static int offset;
  private final Http http = new Http();

  @BeforeAll
  static void startStack() throws Exception {
    offset = RunningStack.portOffset() + 20;
    stack =
        LocalStack.start(
            RunningStack.launch(
                "fallback-stack-" + offset,
                offset,
                // Receipts the dispatcher missed while it was down come again within the test (the
                // sandbox retries as Vonage does, from 5 s doubling; here every second).
                Map.of(
                    "SIGNET_SANDBOX_RECEIPT_BACKOFF_MS", "1000",
                    "SIGNET_SANDBOX_RECEIPT_MAX_BACKOFF_MS", "1000"),
                List.of("--only", "kafka,mongo,registry,sandbox"),
                Duration.ofMinutes(3)));
    secrets = stack.secrets();
    try (KafkaProducer<String, Object> producer = producer("rules-service")) {
      producer.send(new ProducerRecord<>("auth.policy.send-policy.v1", "global", routing()));
      producer.flush();
    }
  }

  @AfterEach
  void stopDispatchers() throws InterruptedException {
    http.post(url("sandbox") + "/faults", null, "{\"mode\":\"ok\"}");
    for (Process dispatcher : dispatchers) {
      dispatcher.destroy();
      if (!dispatcher.waitFor(30, TimeUnit.SECONDS)) {
        dispatcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    dispatchers.clear();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void vonageAcceptingButNeverDeliveringHasEachCodeSentOnceMoreThroughTwilioAfterTheWindow()
      throws Exception {
    startDispatcher("silent");
    arm("{\"mode\":\"silent\",\"count\":-1,\"provider\":\"vonage\",\"country\":\"GB\"}");
    Map<String, String> phoneByChallenge = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      phoneByChallenge.put(
          "ch_f" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
          String.format("+447700959%03d", i));
    }
    publish(phoneByChallenge, challenge -> "424242");

    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                allDeliveredAndSent(attempts(phoneByChallenge.keySet()), phoneByChallenge.size()));

    Map<String, List<JsonNode>> inbox = inboxByNumber();
    for (Document attempt : attempts(phoneByChallenge.keySet())) {
      String phone = phoneByChallenge.get(attempt.getString("challengeId"));
      // Vonage accepted the first message and never delivered it: the phone shows one message,
      // the fallback through Twilio, with the same attempt's reference.
      assertThat(inbox.getOrDefault(phone, List.of())).as("messages to %s", phone).hasSize(1);
      JsonNode message = inbox.get(phone).get(0);
      assertThat(message.path("api").asText()).isEqualTo("twilio");
      assertThat(message.path("text").asText()).contains("424242");
      assertThat(message.path("clientRef").asText()).isEqualTo(attempt.getString("_id"));
      assertThat(attempt.getInteger("fallbacks")).isEqualTo(1);
      assertThat(attempt.getString("route")).isEqualTo("twilio-messaging");
      assertThat(attempt.getList("providerMessageIds", String.class)).hasSize(2);
      assertThat(attempt.get("resend")).as("sealed resend data dropped once delivered").isNull();
      // Not before the window: the fallback waited for a receipt that never came.
      long waited =
          attempt.getDate("fallbackTakenAt").getTime() - attempt.getDate("dispatchedAt").getTime();
      assertThat(waited).isGreaterThanOrEqualTo(WINDOW_S * 1000L - 50);
    }
    // Exactly one Vonage send per attempt (the silent one) and one Twilio send: one extra message.
    assertThat(applied("vonage", "GB")).isEqualTo(phoneByChallenge.size());
    long twilio =
        inbox.values().stream()
            .flatMap(List::stream)
            .filter(m -> phoneByChallenge.containsValue(m.path("to").asText()))
            .count();
    assertThat(twilio).isEqualTo(phoneByChallenge.size());
    assertThat(metric("signet_sms_fallbacks_total", "outcome=\"sent\""))
        .isEqualTo(phoneByChallenge.size());
  }

  @Test
  void killedInTheMiddleOfABacklogWithCallsInFlightEveryAttemptEndsDeliveredWithAtMostOneExtra()
      throws Exception {
    Process first = startDispatcher("first");
    Map<String, String> phoneByChallenge = new HashMap<>();
    Map<String, String> codeByChallenge = new HashMap<>();
    for (int i = 0; i < CHALLENGES; i++) {
      // Spread over the ten prefixes of the fictional range like real users' numbers.
      String challengeId = "ch_r" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
      phoneByChallenge.put(challengeId, String.format("+4477009%d%04d", i % 10, i));
      // A code of its own: a message that reaches the number is this attempt's, never a new code.
      codeByChallenge.put(challengeId, String.format("%06d", 100_000 + i * 4_547));
    }
    // The first part of the backlog goes out as usual. Then the provider starts holding its calls,
    // and the rest of the backlog arrives: the dispatcher is killed while the first of them wait
    // for their answer, without any chance to finish its batch or take its receipts. (Armed before
    // the rest is published, so the calls to hold are there however fast or slow the machine.)
    Map<String, String> firstPart = new HashMap<>();
    phoneByChallenge.entrySet().stream()
        .limit(FIRST_PART)
        .forEach(e -> firstPart.put(e.getKey(), e.getValue()));
    Map<String, String> rest = new HashMap<>(phoneByChallenge);
    rest.keySet().removeAll(firstPart.keySet());
    publish(firstPart, codeByChallenge::get);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> messagesTo(firstPart) >= FIRST_PART);
    arm(slow(HELD_DROPPED, "drop", null));
    arm(slow(HELD_TAKEN, "accept", "GB"));
    publish(rest, codeByChallenge::get);
    // Killed once the sandbox has held all of them (most, on a loaded machine, are still held).
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> heldSends(phoneByChallenge).size() == HELD_TAKEN + HELD_DROPPED);
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long killedAt = System.nanoTime();
    int sentBeforeKill = messagesTo(phoneByChallenge);
    assertThat(sentBeforeKill).as("killed in the middle of the backlog").isLessThan(CHALLENGES);

    // The calls still held at the kill were in flight: the provider saw their client go away, and
    // took the message anyway or dropped it (a call answered before the kill is an ordinary send).
    // Read from the provider, not from the dispatcher's records.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> heldSends(phoneByChallenge).values().stream().noneMatch("holding"::equals));
    Map<String, String> fateByAttempt = heldSends(phoneByChallenge);
    fateByAttempt.values().removeIf("answered"::equals);
    assertThat(fateByAttempt.values())
        .as("calls in flight at the kill, taken anyway and dropped")
        .contains("taken-client-gone", "dropped")
        .containsOnly("taken-client-gone", "dropped");

    startDispatcher("second");
    long restartedAt = System.nanoTime();
    // No user is left without a code: every number gets its message, the attempts the kill left
    // unknown included (by a late receipt or the fallback); then every attempt is delivered.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Map<String, List<JsonNode>> received = inboxByNumber();
              assertThat(
                      phoneByChallenge.values().stream()
                          .filter(phone -> !received.containsKey(phone))
                          .toList())
                  .as("numbers without a message")
                  .isEmpty();
            });
    Set<String> heldChallenges =
        fateByAttempt.keySet().stream()
            .map(id -> id.substring(0, id.lastIndexOf(':')))
            .collect(Collectors.toSet());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(attempts(heldChallenges))
                    .as("the attempts in flight at the kill")
                    .hasSize(heldChallenges.size())
                    .allSatisfy(
                        a ->
                            assertThat(delivered(a) && "SENT".equals(a.getString("state")))
                                .as("delivered and sent: %s", a.toJson())
                                .isTrue()));
    long inFlightSettledAt = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                allDeliveredAndSent(attempts(phoneByChallenge.keySet()), phoneByChallenge.size()));

    Map<String, List<JsonNode>> inbox = inboxByNumber();
    List<Document> attempts = attempts(phoneByChallenge.keySet());
    assertThat(attempts).hasSize(CHALLENGES);
    int unknown = 0;
    int extra = 0;
    int settledByReceipt = 0;
    int lateReceipt = 0;
    int resent = 0;
    for (Document attempt : attempts) {
      String challengeId = attempt.getString("challengeId");
      String phone = phoneByChallenge.get(challengeId);
      List<JsonNode> messages = inbox.getOrDefault(phone, List.of());
      // None lost, at most one duplicate, every message for this very attempt: each carries the
      // attempt id (Vonage's client-ref, the clientRef of Twilio's status callback URL) and its
      // own code.
      assertThat(messages).as("messages to %s: %s", phone, attempt.toJson()).hasSizeBetween(1, 2);
      assertThat(messages)
          .extracting(m -> m.path("clientRef").asText())
          .as("references of the messages to %s", phone)
          .containsOnly(attempt.getString("_id"));
      assertThat(messages)
          .extracting(m -> m.path("text").asText())
          .as("texts of the messages to %s", phone)
          .allSatisfy(text -> assertThat(text).contains(codeByChallenge.get(challengeId)));
      assertThat(attempt.getString("state")).isEqualTo("SENT");
      unknown += "UNKNOWN".equals(attempt.getString("failureReason")) ? 1 : 0;
      extra += messages.size() - 1;
      String fate = fateByAttempt.get(attempt.getString("_id"));
      if ("taken-client-gone".equals(fate)) {
        // The provider took it though the dispatcher died waiting for the answer: its receipt
        // settles the attempt as sent, with no second message when it reaches the restarted
        // dispatcher within the window; a receipt later than that (a cold restart on a busy
        // machine) comes after the same code went once more, the one extra message allowed.
        assertThat(messages)
            .extracting(m -> m.path("api").asText())
            .as("messages to %s: %s", phone, attempt.toJson())
            .contains("sms");
        if (attempt.getInteger("fallbacks", 0) == 0) {
          assertThat(messages).as("messages to %s: %s", phone, attempt.toJson()).hasSize(1);
          assertThat(attempt.getDate("settledByReceiptAt")).as(attempt.toJson()).isNotNull();
          settledByReceipt++;
        } else {
          assertThat(messages).as("messages to %s: %s", phone, attempt.toJson()).hasSize(2);
          lateReceipt++;
        }
      } else if ("dropped".equals(fate)) {
        // The provider dropped it: the outcome stayed unknown, no receipt came, and the same code
        // went once more, through Twilio.
        assertThat(messages).as("messages to %s: %s", phone, attempt.toJson()).hasSize(1);
        assertThat(messages.get(0).path("api").asText()).isEqualTo("twilio");
        assertThat(attempt.getString("failureReason")).isEqualTo("UNKNOWN");
        assertThat(attempt.getInteger("fallbacks")).isEqualTo(1);
        assertThat(attempt.getList("routes", Document.class))
            .last()
            .extracting(r -> r.getString("after"))
            .isEqualTo("fallback:OUTCOME_UNKNOWN");
        resent++;
      }
    }
    assertThat(settledByReceipt + lateReceipt + resent).isEqualTo(fateByAttempt.size());
    assertThat(settledByReceipt).as("attempts settled by their receipt alone").isPositive();
    // Only what was in flight at the kill can have been unknown.
    assertThat(unknown).isLessThanOrEqualTo(IN_FLIGHT);
    System.out.printf(
        "DeliveryFallbackIT: %d challenges, %d sent before the kill, %d calls held in flight at"
            + " the kill (%d settled by their receipt, %d by a receipt after their fallback, %d"
            + " dropped and sent once more), the held"
            + " ones settled %d ms after the kill (%d ms after the restart); %d unknown after"
            + " the kill, all delivered, %d extra messages%n",
        CHALLENGES,
        sentBeforeKill,
        fateByAttempt.size(),
        settledByReceipt,
        lateReceipt,
        resent,
        Duration.ofNanos(inFlightSettledAt - killedAt).toMillis(),
        Duration.ofNanos(inFlightSettledAt - restartedAt).toMillis(),
        unknown,
        extra);
  }

  /** A slow fault on Vonage: {@code count} sends held {@value #HOLD_MS} ms. */
  private static String slow(int count, String clientGone, String country) {
    return String.format(
        "{\"mode\":\"slow\",\"count\":%d,\"holdMs\":%d,\"clientGone\":\"%s\","
            + "\"provider\":\"vonage\"%s}",
        count, HOLD_MS, clientGone, country == null ? "" : ",\"country\":\"" + country + "\"");
  }

  /** What became of each held send to these challenges' numbers, by attempt id (client ref). */
  private Map<String, String> heldSends(Map<String, String> phoneByChallenge) {
    Set<String> phones = new HashSet<>(phoneByChallenge.values());
    Map<String, String> fates = new HashMap<>();
    for (JsonNode held : http.get(url("sandbox") + "/faults/holds", null).body().path("holds")) {
      if (phones.contains(held.path("to").asText())) {
        fates.put(held.path("clientRef").asText(), held.path("fate").asText());
      }
    }
    return fates;
  }

  private static int messagesTo(Map<String, String> phoneByChallenge) {
    Set<String> phones = new HashSet<>(phoneByChallenge.values());
    return (int) inbox().stream().filter(m -> phones.contains(m.path("to").asText())).count();
  }

  /**
   * Every one of {@code expected} attempts delivered and sent: not a vacuous truth while the
   * dispatcher has not stored them yet.
   */
  private boolean allDeliveredAndSent(List<Document> attempts, int expected) {
    return attempts.size() == expected
        && attempts.stream().allMatch(a -> delivered(a) && "SENT".equals(a.getString("state")));
  }

  private boolean delivered(Document attempt) {
    return attempt.getDate("deliveredAt") != null;
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
                root.resolve("e2e-tests/target/fallback-dispatcher-" + name + ".log").toFile());
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
    env.put("SIGNET_TWILIO_BASE_URI", url("sandbox"));
    env.put("SIGNET_TWILIO_FROM", "+15005550006");
    env.put(
        "SIGNET_TWILIO_STATUS_CALLBACK_URL",
        "http://127.0.0.1:" + port + "/webhooks/twilio/status");
    // Claims left by the killed process are resolved within the test, not after 5 minutes, and
    // the fallback window is short.
    env.put("SIGNET_SMS_SENDDEADLINE", "10s");
    env.put("SIGNET_SMS_VONAGETIMEOUT", CALL_TIMEOUT_MS + "ms");
    env.put("SIGNET_SMS_DISPATCHCONCURRENCY", Integer.toString(IN_FLIGHT));
    env.put("SIGNET_SMS_STALECLAIMAFTER", "20s");
    env.put("SIGNET_SMS_STALECLAIMSWEEPINTERVAL", "2s");
    env.put("SIGNET_SMS_FALLBACK_WINDOW", WINDOW_S + "s");
    env.put("SIGNET_SMS_FALLBACK_SWEEPINTERVAL", "1s");
    Process process = builder.start();
    dispatchers.add(process);
    // About 15 s on an idle machine; minutes when the machine is shared with other builds.
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("dispatcher " + name + " exited; see its log");
              }
              return new Http()
                          .get("http://127.0.0.1:" + port + "/actuator/health/readiness", null)
                          .status()
                      == 200
                  && metric("signet_sms_routing_version", "") >= 1;
            });
    return process;
  }

  /** GB: Vonage's SMS API first, Twilio second; no velocity limits, GB allowed. */
  private static SendPolicyUpdated routing() {
    VelocityLimit off = new VelocityLimit(0, 0);
    RoutingRule gb =
        RoutingRule.newBuilder()
            .setCountry("GB")
            .setChannel("SMS")
            .setRoutes(
                List.of(
                    RouteEntry.newBuilder()
                        .setProvider("vonage")
                        .setApi("sms")
                        .setSender(null)
                        .setWeight(100)
                        .build(),
                    RouteEntry.newBuilder()
                        .setProvider("twilio")
                        .setApi("messaging")
                        .setSender(null)
                        .setWeight(0)
                        .build()))
            .build();
    return SendPolicyUpdated.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("delivery-fallback-it")
        .setPolicyId("global")
        .setVersion(1)
        .setAllowedCountries(List.of("GB"))
        .setShadowMode(false)
        .setPerNumber(off)
        .setPerPrefix(off)
        .setPerCountry(off)
        .setDailyGlobalBudget(null)
        .setBlockedPrefixes(List.of())
        .setBlockedCountries(List.of())
        .setUpdatedBy("DeliveryFallbackIT")
        .setRouting(List.of(gb))
        .build();
  }

  private static void publish(
      Map<String, String> phoneByChallenge, java.util.function.UnaryOperator<String> codeOf) {
    try (KafkaProducer<String, Object> producer = producer("challenge-service")) {
      phoneByChallenge.forEach(
          (challengeId, phone) ->
              producer.send(
                  new ProducerRecord<>(
                      "auth.challenge.requested.v1",
                      challengeId,
                      SealedCodes.smsChallenge(
                          challengeId,
                          "fallback-" + challengeId,
                          phone,
                          codeOf.apply(challengeId),
                          SealedCodes.firstKey(secrets.getProperty("SIGNET_SEAL_KEYS")),
                          Instant.now()))));
      producer.flush();
    }
  }

  /** A producer as {@code principal}, the only one that may write its topics. */
  private static KafkaProducer<String, Object> producer(String principal) {
    Properties config = new Properties();
    config.putAll(stack.kafkaClient(principal));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
    config.put("schema.registry.url", url("registry"));
    config.put("basic.auth.credentials.source", "USER_INFO");
    config.put(
        "basic.auth.user.info",
        "schema-writer:" + secrets.getProperty("SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD"));
    return new KafkaProducer<>(config);
  }

  private void arm(String fault) {
    Http.Reply reply = http.post(url("sandbox") + "/faults", null, fault);
    assertThat(reply.status()).as(reply.raw().body()).isBetween(200, 299);
  }

  /** The sends the sandbox's fault for a provider and country applied to. */
  private long applied(String provider, String country) {
    for (JsonNode scoped : http.get(url("sandbox") + "/faults", null).body().path("scoped")) {
      if (provider.equals(scoped.path("provider").asText())
          && country.equals(scoped.path("country").asText())) {
        return scoped.path("applied").asLong();
      }
    }
    throw new AssertionError("no fault armed for " + provider + " " + country);
  }

  /**
   * One sample of the test's dispatcher's Prometheus scrape whose labels contain {@code labels}.
   */
  private static double metric(String name, String labels) {
    String scrape =
        new Http()
            .getText(
                "http://127.0.0.1:" + (8082 + offset) + "/actuator/prometheus",
                "Bearer " + stack.managementSecret())
            .raw()
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
    double sum = -1;
    while (m.find()) {
      if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
        sum = Math.max(sum, 0) + Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  private static List<JsonNode> inbox() {
    JsonNode messages = new Http().get(url("sandbox") + "/inbox", null).body().path("messages");
    List<JsonNode> list = new ArrayList<>();
    messages.forEach(list::add);
    return list;
  }

  private static Map<String, List<JsonNode>> inboxByNumber() {
    Map<String, List<JsonNode>> byNumber = new HashMap<>();
    for (JsonNode message : inbox()) {
      byNumber.computeIfAbsent(message.path("to").asText(), k -> new ArrayList<>()).add(message);
    }
    return byNumber;
  }

  private static List<Document> attempts(Set<String> challengeIds) {
    Bson filter = Filters.in("challengeId", challengeIds);
    List<Document> found = new ArrayList<>();
    try (MongoClient client = MongoClients.create(url("mongo"))) {
      client
          .getDatabase("signet-sms-dispatcher")
          .getCollection("sms_attempts")
          .find(filter)
          .forEach(found::add);
    }
    return found;
  }

  private static String url(String name) {
    return stack.url(name);
  }
}
