package dev.signet.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** End offsets of the platform's topics, to count the records a phase wrote per topic. */
final class KafkaOffsets implements AutoCloseable {

  private final Admin admin;

  /** {@code client}: bootstrap servers and credentials (the stack's admin). */
  KafkaOffsets(Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.admin = Admin.create(config);
  }

  Map<String, Long> endOffsets() {
    try {
      Set<String> topics =
          admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
              .filter(t -> !t.startsWith("_") && !t.startsWith("bench."))
              .collect(Collectors.toSet());
      Map<String, TopicDescription> described =
          admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      described.forEach(
          (name, d) ->
              d.partitions()
                  .forEach(
                      p ->
                          request.put(
                              new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      Map<String, Long> sums = new TreeMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
      return sums;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read Kafka end offsets: " + e.getMessage(), e);
    }
  }

  /**
   * Records not yet committed by each consumer group, summed over its partitions: the queue in
   * front of each consuming service at this moment.
   */
  Map<String, Long> consumerLag() {
    try {
      Map<String, Long> lag = new TreeMap<>();
      for (var group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
        String id = group.groupId();
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(id)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        if (request.isEmpty()) {
          continue;
        }
        var ends = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        long total = 0;
        for (var e : committed.entrySet()) {
          if (e.getValue() != null && ends.containsKey(e.getKey())) {
            total += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
          }
        }
        lag.put(id, total);
      }
      return lag;
    } catch (Exception e) {
      return Map.of("unavailable", -1L);
    }
  }

  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach(
        (topic, end) -> {
          long diff = end - before.getOrDefault(topic, 0L);
          if (diff != 0) {
            d.put(topic, diff);
          }
        });
    return d;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
