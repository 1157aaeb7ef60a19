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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * rules-service in the running stack: a rule created through the management API decides an action
 * tracked on Kafka with the project's serde, and the reply on {@code auth.action.decided.v1} names
 * the rule and echoes the request's correlation.
 */
class RulesDecisionIT {

  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  @Test
  void aTrackedActionIsDecidedByTheRuleCreatedThroughTheManagementApi() {
    String action = "e2eTransfer" + UUID.randomUUID().toString().substring(0, 8);
    Http.Reply unauthorized =
        http.get(stack.url("rules") + "/v1/management/actions", Http.basic("wrong"));
    assertThat(unauthorized.status()).isEqualTo(401);
    Http.Reply created =
        http.post(
            stack.url("rules") + "/v1/management/actions/" + action + "/rules",
            "Bearer " + stack.managementSecret(),
            "{\"name\":\"Big transfer\",\"description\":\"Review large amounts\","
                + "\"outcome\":\"REVIEW\",\"condition\":{\"type\":\"custom\",\"key\":\"amount\","
                + "\"operator\":\"gt\",\"value\":1000}}");
    assertThat(created.status()).isEqualTo(201);
    String ruleId = created.body().path("ruleId").asText();

    ActionTracked big = tracked(action, 2500L);
    ActionTracked small = tracked(action, 10L);
    produce(big);
    produce(small);

    Map<String, ActionDecided> decided = awaitDecisions(big.getEventId(), small.getEventId());
    ActionDecided bigDecision = decided.get(big.getEventId());
    assertThat(bigDecision.getDecision()).isEqualTo(ActionDecision.REVIEW);
    assertThat(bigDecision.getRuleIds()).containsExactly(ruleId);
    assertThat(bigDecision.getRules().get(0).getName()).isEqualTo("Big transfer");
    assertThat(bigDecision.getReplyTo()).isEqualTo(big.getReplyTo());
    assertThat(bigDecision.getIdempotencyKey()).isEqualTo(big.getIdempotencyKey());
    assertThat(bigDecision.getUserId()).isEqualTo(big.getUserId());
    ActionDecided smallDecision = decided.get(small.getEventId());
    assertThat(smallDecision.getDecision()).isEqualTo(ActionDecision.CHALLENGE);
    assertThat(smallDecision.getDefaultOutcome()).isTrue();
    assertThat(smallDecision.getRuleIds()).isEmpty();
  }

  private static ActionTracked tracked(String action, long amount) {
    Map<String, Object> custom = new HashMap<>();
    custom.put("amount", amount);
    return ActionTracked.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("e2e-" + UUID.randomUUID())
        .setUserId("usr-e2e-" + UUID.randomUUID())
        .setActionCode(action)
        .setIdempotencyKey(UUID.randomUUID().toString())
        .setReplyTo("e2e-" + UUID.randomUUID())
        .setDecisionDeadline(Instant.now().plusSeconds(5))
        .setDeviceId("dev-e2e")
        .setCustom(custom)
        .setIsEnrolled(true)
        .setEnrolledVerificationMethods(List.of("SMS"))
        .setPhoneCountryCode("GB")
        .build();
  }

  private static void produce(ActionTracked tracked) {
    Properties props = new Properties();
    // As challenge-service, the only principal that may write tracked actions.
    props.putAll(stack.kafkaClient("challenge-service"));
    props.putAll(stack.serdeClient());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props)) {
      producer.send(
          new ProducerRecord<>(Topics.ACTION_TRACKED.name(), tracked.getUserId(), tracked));
    }
  }

  /** The decisions answering these requests, read from the start of the topic. */
  private static Map<String, ActionDecided> awaitDecisions(String... requestEventIds) {
    Properties props = new Properties();
    props.putAll(stack.kafkaAdminClient());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SignetAvroDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-rules-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
    props.putAll(stack.serdeClient());
    props.put("specific.avro.reader", "true");
    Map<String, ActionDecided> found = new HashMap<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props)) {
      // Subscribed, not assigned: the broker creates the topic on first use, maybe after this.
      consumer.subscribe(List.of(Topics.ACTION_DECIDED.name()));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          ActionDecided d = (ActionDecided) r.value();
                          if (List.of(requestEventIds).contains(d.getRequestEventId())) {
                            assertThat(r.key()).isEqualTo(d.getUserId());
                            found.put(d.getRequestEventId(), d);
                          }
                        });
                return found.size() == requestEventIds.length;
              });
    }
    return found;
  }
}
