package dev.signet.e2e.dispatch;

import dev.signet.e2e.stack.RunningStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stack's Kafka seen as bytes: read a topic whole, write records back, read group offsets. It
 * connects as the admin super user unless {@link #as(String)} names another principal, e.g. {@code
 * RawKafka.as(stack, "challenge-service")} to write what only challenge-service may write.
 */
final class RawKafka {

  private final RunningStack stack;
  private final Map<String, Object> client;

  RawKafka(RunningStack stack) {
    this(stack, "admin");
  }

  private RawKafka(RunningStack stack, String principal) {
    this.stack = stack;
    this.client = stack.kafkaClient(principal);
  }

  /** The same stack's Kafka, authenticated as {@code principal} (a name in stack.json). */
  static RawKafka as(RunningStack stack, String principal) {
    return new RawKafka(stack, principal);
  }

  /** This client's settings seen from another principal. */
  RawKafka as(String principal) {
    return new RawKafka(stack, principal);
  }

  /** Records of {@code topic} whose key is {@code key}. */
  List<ConsumerRecord<byte[], byte[]>> read(String topic, String key) {
    return readAll(topic).stream()
        .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
        .toList();
  }

  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties props = new Properties();
    props.putAll(client);
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
              .map(p -> new TopicPartition(topic, p.partition()))
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

  /** Writes a record as it is, to the same partition: a redelivery seen from the consumer. */
  RecordMetadata redeliver(ConsumerRecord<byte[], byte[]> record) {
    Properties props = new Properties();
    props.putAll(client);
    props.putAll(
        Map.of(
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      return producer
          .send(
              new ProducerRecord<>(
                  record.topic(), record.partition(), record.key(), record.value()))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The offset a consumer group committed on a partition, -1 when none. */
  long committed(String group, TopicPartition partition) {
    Properties props = new Properties();
    props.putAll(client);
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      OffsetAndMetadata offset = offsets.get(partition);
      return offset == null ? -1 : offset.offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes a record's value with the project's serde and the stack's schema registry. */
  static Object decode(RunningStack stack, ConsumerRecord<byte[], byte[]> record) {
    try (dev.signet.events.serde.SignetAvroDeserializer deserializer =
        new dev.signet.events.serde.SignetAvroDeserializer()) {
      Map<String, Object> config = new java.util.HashMap<>(stack.serdeClient());
      config.put("specific.avro.reader", "true");
      deserializer.configure(config, false);
      return deserializer.deserialize(record.topic(), record.value());
    }
  }

  /** Whether the UTF-8 bytes of {@code text} occur in {@code value} (Avro strings are UTF-8). */
  static boolean contains(byte[] value, String text) {
    return new String(value, StandardCharsets.ISO_8859_1)
        .contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }
}
