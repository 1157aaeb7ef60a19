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
 * Counts the stack's {@code auth.challenge.verification-failed.v1} records of some challenges (the
 * key is the challenge id). challenge-service writes exactly one per code it compared and found
 * wrong, so the count is the number of wrong-code comparisons.
 */
final class VerificationEvents {

  static final String TOPIC = "auth.challenge.verification-failed.v1";

  private final String bootstrap;

  VerificationEvents(RunningStack stack) {
    this.bootstrap = stack.description().path("components").path("kafka").path("url").asText();
  }

  /** Failed-verification records whose key is one of {@code challengeIds}. */
  long failures(Collection<String> challengeIds) {
    Set<String> keys = Set.copyOf(challengeIds);
    String topic = TOPIC;
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false"));
    long count = 0;
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
            count++;
          }
        }
      }
    }
    return count;
  }
}
