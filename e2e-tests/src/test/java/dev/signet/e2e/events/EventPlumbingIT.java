package dev.signet.e2e.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What crosses Kafka and what lands in MongoDB, seen with plain clients against the running stack:
 * the Confluent wire format, poison pills routed to the dead-letter topic without stopping the
 * consumer, and a code that appears nowhere in clear — not in any topic, document or log.
 */
class EventPlumbingIT {

  private static final String REQUESTED = "auth.challenge.requested.v1";
  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  @Test
  void aPoisonPillGoesToTheDeadLetterTopicAndTheDispatcherKeepsSending() {
    byte[] garbage = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(REQUESTED, "poison".getBytes(), garbage));
      producer.flush();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(readAll(REQUESTED + ".dlt"))
                    .anySatisfy(record -> assertThat(record.value()).isEqualTo(garbage)));

    // The consumer survived the poison pill: the next challenge is still delivered.
    String phone = Sandbox.freshPhoneNumber();
    Http.Reply reply = challenge(phone);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(new Sandbox(stack, http).awaitCode(phone, 1)).hasSize(6);
  }

  @Test
  void eventsUseTheConfluentWireFormatAndNeverCarryTheCode() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone).body().path("challengeId").asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    Http.Reply verified =
        http.post(
            stack.url("challenge") + "/v1/verify",
            Http.basic(stack.apiSecret()),
            "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).isTrue();

    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              records.clear();
              for (String topic : List.of(REQUESTED, "auth.challenge.verified.v1")) {
                records.addAll(readAll(topic));
              }
              assertThat(records)
                  .filteredOn(r -> new String(r.key(), StandardCharsets.UTF_8).equals(challengeId))
                  .hasSizeGreaterThanOrEqualTo(2);
            });

    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (!new String(record.key(), StandardCharsets.UTF_8).equals(challengeId)) {
        continue;
      }
      byte[] value = record.value();
      assertThat(value[0]).as("magic byte on %s", record.topic()).isZero();
      int schemaId =
          ((value[1] & 0xff) << 24)
              | ((value[2] & 0xff) << 16)
              | ((value[3] & 0xff) << 8)
              | (value[4] & 0xff);
      Http.Reply schema = http.get(stack.url("registry") + "/schemas/ids/" + schemaId, null);
      assertThat(schema.status()).as("schema %s of %s", schemaId, record.topic()).isEqualTo(200);
      assertThat(new String(value, StandardCharsets.ISO_8859_1))
          .as("code in clear on %s", record.topic())
          .doesNotContain(code);
    }

    try (MongoClient mongo =
        MongoClients.create(
            stack.description().path("components").path("mongo").path("url").asText())) {
      for (String database : mongo.listDatabaseNames()) {
        for (String collection : mongo.getDatabase(database).listCollectionNames()) {
          for (Document document : mongo.getDatabase(database).getCollection(collection).find()) {
            assertThat(document.toJson())
                .as("%s.%s", database, collection)
                .doesNotContain("code is " + code)
                .doesNotContain("\"" + code + "\"");
          }
        }
      }
    }

    try (var logs = Files.list(stack.dataDir().resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain("code is " + code);
      }
    }
  }

  private Http.Reply challenge(String phone) {
    return http.post(
        stack.url("challenge") + "/v1/challenge",
        Http.basic(stack.apiSecret()),
        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\"" + phone + "\"}");
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    // The admin: this test writes what no service principal may write (poison pills).
    props.putAll(stack.kafkaAdminClient());
    props.putAll(
        Map.of(
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    return new KafkaProducer<>(props);
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties props = new Properties();
    props.putAll(stack.kafkaAdminClient());
    props.putAll(
        Map.of(
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false"));
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      var partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
