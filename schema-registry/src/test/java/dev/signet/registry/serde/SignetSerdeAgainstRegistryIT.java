package dev.signet.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.EventSamples;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.events.serde.SignetAvroSerializer;
import dev.signet.registry.support.RunningRegistry;
import dev.signet.registry.support.TestBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/** Signet's own serde, configured exactly as the services configure it, against this registry. */
class SignetSerdeAgainstRegistryIT {

  private static final String TOPIC = Topics.CHALLENGE_REQUESTED.name();

  private static RunningRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = RunningRegistry.start(TestBroker.bootstrap(), "_schemas_serde").awaitHealthy();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void anEventTravelsThroughKafkaWithTheIdThisRegistryAssigned() {
    ChallengeRequested sent = aChallengeRequested("ch-1");

    try (KafkaProducer<String, Object> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(TOPIC, "ch-1", sent)).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    int registeredId = latestId(Topics.CHALLENGE_REQUESTED.valueSubject());
    ConsumerRecord<String, byte[]> raw = readOne(TOPIC);
    ByteBuffer wire = ByteBuffer.wrap(raw.value());
    assertThat(wire.get()).isEqualTo((byte) 0);
    assertThat(wire.getInt()).isEqualTo(registeredId);
    try (SignetAvroDeserializer deserializer = new SignetAvroDeserializer()) {
      deserializer.configure(
          Map.of("schema.registry.url", registry.baseUrl(), "specific.avro.reader", true), false);
      assertThat(deserializer.deserialize(TOPIC, raw.value())).isEqualTo(sent);
    }
  }

  @Test
  void aProducerThatMayNotRegisterUsesTheLatestRegisteredVersion() {
    ChallengeRequested sent = aChallengeRequested("ch-2");
    String topic = "auth.challenge.requested-latest.v1";
    try (SignetAvroSerializer registering = new SignetAvroSerializer()) {
      registering.configure(
          Map.of(
              "schema.registry.url",
              registry.baseUrl(),
              "basic.auth.credentials.source",
              "USER_INFO",
              "basic.auth.user.info",
              RunningRegistry.WRITER + ":" + RunningRegistry.WRITER_PASSWORD),
          false);
      registering.serialize(topic, sent);
    }

    byte[] bytes;
    try (SignetAvroSerializer serializer = new SignetAvroSerializer()) {
      serializer.configure(
          Map.of(
              "schema.registry.url",
              registry.baseUrl(),
              "auto.register.schemas",
              false,
              "use.latest.version",
              true),
          false);
      bytes = serializer.serialize(topic, sent);
    }

    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId(topic + "-value"));
    try (SignetAvroDeserializer deserializer = new SignetAvroDeserializer()) {
      deserializer.configure(
          Map.of("schema.registry.url", registry.baseUrl(), "specific.avro.reader", true), false);
      assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(sent);
    }
  }

  private static KafkaProducer<String, Object> producer(Map<String, Object> serdeConfig) {
    Map<String, Object> properties = new java.util.HashMap<>(serdeConfig);
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrap());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class);
    properties.put("schema.registry.url", registry.baseUrl());
    // Registering needs the writer's credential, sent the Confluent way.
    properties.put("basic.auth.credentials.source", "USER_INFO");
    properties.put(
        "basic.auth.user.info", RunningRegistry.WRITER + ":" + RunningRegistry.WRITER_PASSWORD);
    return new KafkaProducer<>(properties);
  }

  private static ConsumerRecord<String, byte[]> readOne(String topic) {
    Map<String, Object> properties =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestBroker.bootstrap(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return !records.isEmpty();
              });
    }
    return records.get(0);
  }

  private static int latestId(String subject) {
    Map<String, Object> version =
        registry
            .client()
            .get()
            .uri("/subjects/{subject}/versions/latest", subject)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return ((Number) version.get("id")).intValue();
  }

  /** A challenge request with every field set, so that the round trip covers each one. */
  private static ChallengeRequested aChallengeRequested(String challengeId) {
    ChallengeRequested event = EventSamples.sample(ChallengeRequested.class);
    event.setChallengeId(challengeId);
    return event;
  }
}
