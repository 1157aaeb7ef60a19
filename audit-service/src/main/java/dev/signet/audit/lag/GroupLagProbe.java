package dev.signet.audit.lag;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Reads a consumer group's lag from the broker at a fixed interval on a daemon thread of its own:
 * per topic, the end offsets minus the group's committed offsets, summed over partitions. A
 * partition the group has not committed on yet counts from its earliest offset; a topic that does
 * not exist yet is left out. Each reading goes to {@code onReading}; a failed reading is logged and
 * skipped, never thrown: at INFO while the broker has been unreachable for less than {@link
 * #WARN_AFTER} (a reading during the stack's start on a busy machine may time out), then at WARN.
 */
public final class GroupLagProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupLagProbe.class);
  private static final long TIMEOUT_SECONDS = 5;
  static final Duration WARN_AFTER = Duration.ofSeconds(30);

  private final KafkaAdmin kafkaAdmin;
  private final String groupId;
  private final List<String> topics;
  private final Consumer<Map<String, Long>> onReading;
  private final ScheduledExecutorService scheduler;
  private Admin admin;
  private long failingSinceNanos;
  private boolean failing;

  /** Starts reading every {@code interval}; the first reading comes after one interval. */
  public GroupLagProbe(
      String threadName,
      KafkaAdmin kafkaAdmin,
      String groupId,
      Collection<String> topics,
      Duration interval,
      Consumer<Map<String, Long>> onReading) {
    this.kafkaAdmin = kafkaAdmin;
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
    this.onReading = onReading;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One reading now, on the caller's thread. */
  public void refresh() {
    try {
      onReading.accept(read());
      failing = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!failing) {
        failing = true;
        failingSinceNanos = System.nanoTime();
      }
      boolean persistent = System.nanoTime() - failingSinceNanos >= WARN_AFTER.toNanos();
      if (persistent) {
        log.warn("consumer lag unavailable groupId={} reason={}", groupId, e.toString());
      } else {
        log.info("consumer lag unavailable yet groupId={} reason={}", groupId, e.toString());
      }
    }
  }

  private Map<String, Long> read() throws Exception {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
      config.put("request.timeout.ms", 5000);
      config.put("default.api.timeout.ms", 5000);
      admin = Admin.create(config);
    }
    var names = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<String> existing = topics.stream().filter(names::contains).toList();
    var described =
        admin.describeTopics(existing).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    described.forEach(
        (name, description) ->
            description
                .partitions()
                .forEach(
                    p -> {
                      latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                      earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                    }));
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
        admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<String, Long> perTopic = new HashMap<>();
    ends.forEach(
        (tp, end) -> {
          OffsetAndMetadata done = committed.get(tp);
          long from = done != null ? done.offset() : starts.get(tp).offset();
          perTopic.merge(tp.topic(), Math.max(0, end.offset() - from), Long::sum);
        });
    return perTopic;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
