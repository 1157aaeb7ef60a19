package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka with identities on the packaged stack: every client authenticates, and each principal may
 * do only what the access plan (deploy/kafka/acls.conf) grants. The external consumer reads the
 * audit and public topics in its own groups and writes nothing; a service cannot write another
 * service's topic (the dispatcher cannot publish a send policy that turns the guards off); a client
 * without credentials gets nothing; the schema registry refuses anonymous writes.
 */
class KafkaIdentitiesIT {

  private static final String EXTERNAL = "external-consumer";

  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void startStack() {
    stack = RunningStack.get();
  }

  @Test
  void theExternalConsumerCannotProduceToAnyTopic() {
    List<String> topics = new ArrayList<>();
    for (Topics.Topic topic : Topics.all()) {
      topics.add(topic.name());
      topics.add(topic.dlt());
    }
    topics.add("_schemas");
    // ... nor create a topic of its own by writing to it.
    topics.add("external-e2e-" + UUID.randomUUID());
    try (KafkaProducer<byte[], byte[]> producer = producer(EXTERNAL)) {
      for (String topic : topics) {
        assertThatThrownBy(
                () ->
                    producer
                        .send(new ProducerRecord<>(topic, bytes("forged"), bytes("forged")))
                        .get(20, TimeUnit.SECONDS),
                "the external consumer writing %s",
                topic)
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  @Test
  void theExternalConsumerReadsTheAuditTopicInItsOwnGroup() {
    challenge("+447700900" + (100 + (int) (Math.random() * 800)));
    String group = "external-e2e-" + UUID.randomUUID();
    List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(EXTERNAL, group)) {
      consumer.subscribe(List.of(Topics.AUDIT_ACTIVITY.name()));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                assertThat(read).isNotEmpty();
              });
      consumer.commitSync();
    }
    assertThat(read).allSatisfy(r -> assertThat(r.topic()).isEqualTo("auth.audit.activity.v1"));
  }

  @Test
  void theExternalConsumerCannotReadATopicOutsideItsList() {
    for (String topic :
        List.of(
            Topics.CHALLENGE_REQUESTED.name(),
            Topics.SEND_POLICY.name(),
            Topics.ACTION_TRACKED.name(),
            Topics.USER_UPDATED.name(),
            Topics.CHALLENGE_REQUESTED.dlt(),
            "_schemas")) {
      try (KafkaConsumer<byte[], byte[]> consumer =
          consumer(EXTERNAL, "external-e2e-" + UUID.randomUUID())) {
        consumer.subscribe(List.of(topic));
        assertThatThrownBy(
                () -> pollUntilRefused(consumer), "the external consumer reading %s", topic)
            .isInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  @Test
  void theExternalConsumerCannotJoinAServicesConsumerGroup() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(EXTERNAL, "audit-service")) {
      consumer.subscribe(List.of(Topics.AUDIT_ACTIVITY.name()));
      assertThatThrownBy(() -> pollUntilRefused(consumer))
          .isInstanceOf(GroupAuthorizationException.class);
    }
  }

  @Test
  void aServiceCannotProduceToAnotherServicesTopic() {
    try (KafkaProducer<byte[], byte[]> dispatcher = producer("sms-dispatcher")) {
      for (String topic :
          List.of(
              Topics.SEND_POLICY.name(),
              Topics.CHALLENGE_REQUESTED.name(),
              Topics.ACTION_DECIDED.name(),
              Topics.AUDIT_ACTIVITY.name())) {
        assertThatThrownBy(
                () ->
                    dispatcher
                        .send(new ProducerRecord<>(topic, bytes("default"), bytes("all off")))
                        .get(20, TimeUnit.SECONDS),
                "sms-dispatcher writing %s",
                topic)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
    try (KafkaProducer<byte[], byte[]> audit = producer("audit-service")) {
      assertThatThrownBy(
              () ->
                  audit
                      .send(
                          new ProducerRecord<>(
                              Topics.CHALLENGE_REQUESTED.name(), bytes("c"), bytes("forged")))
                      .get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aClientWithoutCredentialsIsRefused() {
    Map<String, Object> anonymous = new HashMap<>();
    anonymous.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    anonymous.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    anonymous.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000);
    try (Admin admin = Admin.create(anonymous)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
    Map<String, Object> wrongPassword = stack.kafkaClient("challenge-service");
    wrongPassword.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"challenge-service\" password=\"guessed\";");
    wrongPassword.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    wrongPassword.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(wrongPassword)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void theRegistryRefusesAnonymousWritesWithJson401AndServesReads() {
    String subject = Topics.CHALLENGE_REQUESTED.valueSubject();
    String schema =
        "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Forged\\\",\\\"fields\\\":[]}\"}";

    Http.Reply register =
        http.post(stack.url("registry") + "/subjects/" + subject + "/versions", null, schema);
    assertThat(register.status()).isEqualTo(401);
    assertThat(register.body().path("error_code").asInt()).isEqualTo(40101);
    assertThat(register.raw().headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"signet-schema-registry\"");

    Http.Reply delete = http.delete(stack.url("registry") + "/subjects/" + subject);
    assertThat(delete.status()).isEqualTo(401);
    assertThat(delete.body().path("error_code").asInt()).isEqualTo(40101);

    String wrongWriter =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("schema-writer:guessed".getBytes(StandardCharsets.UTF_8));
    assertThat(
            http.post(
                    stack.url("registry") + "/subjects/" + subject + "/versions",
                    wrongWriter,
                    schema)
                .status())
        .isEqualTo(401);

    // rules-service publishes the send policy at start-up, so its subject is always there.
    String registered = Topics.SEND_POLICY.valueSubject();
    Http.Reply subjects = http.get(stack.url("registry") + "/subjects", null);
    assertThat(subjects.status()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    subjects.body().forEach(n -> names.add(n.asText()));
    assertThat(names).contains(registered);
    assertThat(
            http.get(stack.url("registry") + "/subjects/" + registered + "/versions/latest", null)
                .status())
        .isEqualTo(200);
  }

  private void challenge(String phone) {
    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
  }

  /** Polls until the broker refuses (throws) or 20 s have passed. */
  private static void pollUntilRefused(KafkaConsumer<byte[], byte[]> consumer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(500));
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String principal) {
    Map<String, Object> config = stack.kafkaClient(principal);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // Not idempotent: each refused record fails on its own topic, the producer stays usable.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    return new KafkaProducer<>(config);
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String principal, String group) {
    Map<String, Object> config = stack.kafkaClient(principal);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(config);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
