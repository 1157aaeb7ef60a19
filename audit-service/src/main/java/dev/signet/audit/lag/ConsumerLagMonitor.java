package dev.signet.audit.lag;

import dev.signet.audit.config.AuditProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Reads the view builder's consumer lag from the broker every few seconds: per topic, the end
 * offsets minus the group's committed offsets, summed over partitions. A topic the group has not
 * committed on yet counts from its earliest offset.
 */
@Component
class ConsumerLagMonitor implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ConsumerLagMonitor.class);

  private final KafkaAdmin kafkaAdmin;
  private final ViewLag lag;
  private final List<String> topics;
  private final String groupId;
  private final Duration interval;
  private ScheduledExecutorService scheduler;
  private Admin admin;

  ConsumerLagMonitor(
      KafkaAdmin kafkaAdmin,
      ViewLag lag,
      ConsumedTopics topics,
      AuditProperties properties,
      org.springframework.boot.kafka.autoconfigure.KafkaProperties kafka) {
    this.kafkaAdmin = kafkaAdmin;
    this.lag = lag;
    this.topics = topics.names();
    this.groupId = kafka.getConsumer().getGroupId();
    this.interval = properties.lagInterval();
  }

  @Override
  public void afterPropertiesSet() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "audit-consumer-lag");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void refresh() {
    try {
      if (admin == null) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 5000);
        admin = Admin.create(config);
      }
      var described = admin.describeTopics(existing()).allTopicNames().get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      described.forEach(
          (name, description) ->
              description
                  .partitions()
                  .forEach(
                      p -> {
                        latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                        earliest.put(
                            new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                      }));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
      Map<String, Long> perTopic = new HashMap<>();
      ends.forEach(
          (tp, end) -> {
            OffsetAndMetadata done = committed.get(tp);
            long from = done != null ? done.offset() : starts.get(tp).offset();
            perTopic.merge(tp.topic(), Math.max(0, end.offset() - from), Long::sum);
          });
      perTopic.forEach(lag::consumerLag);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("consumer lag unavailable: {}", e.toString());
    }
  }

  private List<String> existing() throws Exception {
    var names = admin.listTopics().names().get(5, TimeUnit.SECONDS);
    return topics.stream().filter(names::contains).toList();
  }

  @Override
  public void destroy() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }
}
