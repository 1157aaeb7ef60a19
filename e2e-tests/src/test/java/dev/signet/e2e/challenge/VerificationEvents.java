package dev.signet.e2e.challenge;

import dev.signet.e2e.stack.RunningStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the stack's {@code auth.challenge.verification-failed.v1} events of some challenges (the
 * key is the challenge id), distinct by event id: challenge-service writes exactly one event per
 * code it compared and found wrong, delivered at least once, so the count is the number of
 * wrong-code comparisons.
 */
final class VerificationEvents {

  static final String TOPIC = "auth.challenge.verification-failed.v1";

  private final Map<String, Object> client;

  VerificationEvents(RunningStack stack) {
    // The admin principal may read every topic.
    this.client = stack.kafkaAdminClient();
  }

  /** Failed-verification records whose key is one of {@code challengeIds}. */
  long failures(Collection<String> challengeIds) {
    Set<String> keys = Set.copyOf(challengeIds);
    String topic = TOPIC;
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
    Set<String> eventIds = new java.util.HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      var partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null
              && keys.contains(new String(record.key(), StandardCharsets.UTF_8))) {
            eventIds.add(eventId(record.value()));
          }
        }
      }
    }
    return eventIds.size();
  }

  /**
   * The event id, the record's first field: after the serde's five header bytes (magic byte and
   * schema id), an Avro string (zig-zag varint length, then UTF-8).
   */
  static String eventId(byte[] value) {
    int position = 5;
    long raw = 0;
    int shift = 0;
    while (true) {
      int b = value[position++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    int length = (int) ((raw >>> 1) ^ -(raw & 1));
    return new String(value, position, length, StandardCharsets.UTF_8);
  }
}
