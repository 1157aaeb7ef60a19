package dev.signet.e2e.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionDecision;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.events.serde.SignetAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rule whose regular expression backtracks catastrophically on a backtracking engine ({@code
 * (.*a){12}$}: java.util.regex tries about n^12 ways on an agent of n a's without a final a) is
 * accepted through the management API and cannot stall the decision consumer: the track → decision
 * latency of actions with a long adversarial user agent ({@code aaaa…!}) is the same with the rule
 * as without it, and the rule still decides the agents it matches. Patterns the linear-time engine
 * cannot run (a backreference) are refused at creation with the documented JSON 400. Kafka clients
 * are built in {@link #kafka()} alone.
 */
class RegexRuleLatencyIT {

  private static final int ROUNDS = 8;
  // Within the 1,024 characters a condition looks at, so the final "!" is seen.
  private static final String ADVERSARIAL = "a".repeat(1000) + "!";
  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  @Test
  void aCatastrophicRegexRuleLeavesDecisionLatencyUnchanged() {
    String action = "e2eRegex" + UUID.randomUUID().toString().substring(0, 8);
    String rules = stack.url("rules") + "/v1/management/actions/" + action + "/rules";
    String bearer = "Bearer " + stack.managementSecret();
    try (KafkaConsumer<String, Object> consumer = kafka().consumer();
        KafkaProducer<String, Object> producer = kafka().producer()) {
      consumer.subscribe(List.of(Topics.ACTION_DECIDED.name()));
      await().atMost(Duration.ofSeconds(30)).until(() -> positioned(consumer));
      Tracker tracker = new Tracker(consumer, producer);
      check(action, rules, bearer, tracker);
    }
  }

  private void check(String action, String rules, String bearer, Tracker tracker) {
    // A first decision warms the action (connections, JIT, the rule cache of the action).
    tracker.decide(action, ADVERSARIAL);

    List<Long> before = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      before.add(tracker.decide(action, ADVERSARIAL).millis());
    }

    Http.Reply created =
        http.post(
            rules,
            bearer,
            "{\"name\":\"Catastrophic\",\"outcome\":\"BLOCK\",\"condition\":{\"type\":\"userAgent\","
                + "\"operator\":\"matches\",\"value\":\"(.*a){12}$\"}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    String ruleId = created.body().path("ruleId").asText();

    List<Long> after = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      Decided decided = tracker.decide(action, ADVERSARIAL);
      assertThat(decided.decision().getRuleIds()).isEmpty();
      after.add(decided.millis());
    }
    // The rule is live: an agent it matches is blocked by it.
    Decided matching = tracker.decide(action, "a".repeat(12));
    assertThat(matching.decision().getDecision()).isEqualTo(ActionDecision.BLOCK);
    assertThat(matching.decision().getRuleIds()).containsExactly(ruleId);

    // What only a backtracking engine runs is refused when the rule is written.
    Http.Reply refused =
        http.post(
            rules,
            bearer,
            "{\"name\":\"Backreference\",\"outcome\":\"BLOCK\",\"condition\":{\"type\":\"userAgent\","
                + "\"operator\":\"matches\",\"value\":\"(a)\\\\1\"}}");
    assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
    assertThat(refused.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(refused.body().path("errorDescription").asText())
        .contains("condition.value")
        .contains("backreference");
    long medianBefore = median(before);
    long medianAfter = median(after);
    System.out.printf(
        "regex rule latency: before %s (median %d ms), after %s (median %d ms)%n",
        before, medianBefore, after, medianAfter);
    // Unchanged within the noise of a shared two-core machine; a backtracking engine never answers.
    assertThat(medianAfter).isLessThanOrEqualTo(medianBefore + 250);
    assertThat(after).allSatisfy(ms -> assertThat(ms).isLessThan(2_000));
  }

  private record Decided(ActionDecided decision, long millis) {}

  /** Tracks actions on Kafka and times their decisions' arrival. */
  private record Tracker(
      KafkaConsumer<String, Object> consumer, KafkaProducer<String, Object> producer) {

    Decided decide(String action, String userAgent) {
      ActionTracked tracked = tracked(action, userAgent);
      long sent = System.nanoTime();
      producer.send(
          new ProducerRecord<>(Topics.ACTION_TRACKED.name(), tracked.getUserId(), tracked));
      ActionDecided[] found = new ActionDecided[1];
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(20))
                    .forEach(
                        r -> {
                          ActionDecided d = (ActionDecided) r.value();
                          if (tracked.getEventId().equals(d.getRequestEventId())) {
                            found[0] = d;
                          }
                        });
                return found[0] != null;
              });
      return new Decided(found[0], (System.nanoTime() - sent) / 1_000_000);
    }
  }

  /** Whether the consumer joined its group and knows its position (the end) on every partition. */
  private static boolean positioned(KafkaConsumer<String, Object> consumer) {
    consumer.poll(Duration.ofMillis(100));
    if (consumer.assignment().isEmpty()) {
      return false;
    }
    consumer.assignment().forEach(consumer::position);
    return true;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static ActionTracked tracked(String action, String userAgent) {
    return ActionTracked.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("e2e-" + UUID.randomUUID())
        .setUserId("usr-e2e-" + UUID.randomUUID())
        .setActionCode(action)
        .setIdempotencyKey(UUID.randomUUID().toString())
        .setReplyTo("e2e-" + UUID.randomUUID())
        .setDecisionDeadline(Instant.now().plusSeconds(5))
        .setUserAgent(userAgent)
        .setDeviceId("dev-e2e")
        .setCustom(new HashMap<>())
        .setIsEnrolled(true)
        .setEnrolledVerificationMethods(List.of("SMS"))
        .setPhoneCountryCode("GB")
        .build();
  }

  private static Clients kafka() {
    return new Clients();
  }

  /**
   * The one place that builds Kafka clients for this test: it writes tracked actions as
   * challenge-service (the only principal that may) and reads decisions as the admin.
   */
  private static final class Clients {

    private Properties common(String principal) {
      Properties props = new Properties();
      props.putAll(stack.kafkaClient(principal));
      props.putAll(stack.serdeClient());
      return props;
    }

    KafkaProducer<String, Object> producer() {
      Properties props = common("challenge-service");
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
      props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
      return new KafkaProducer<>(props);
    }

    KafkaConsumer<String, Object> consumer() {
      Properties props = common("admin");
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SignetAvroDeserializer.class.getName());
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-regex-" + UUID.randomUUID());
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
      props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
      props.put("specific.avro.reader", "true");
      return new KafkaConsumer<>(props);
    }
  }
}
