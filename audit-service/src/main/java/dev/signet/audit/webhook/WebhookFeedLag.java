package dev.signet.audit.webhook;

import dev.signet.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * How far the webhooks' consumer group is behind the audit topic ({@code
 * signet_webhook_consumer_lag}: end offsets minus committed offsets, all partitions), read from the
 * broker every 5 seconds. A growing value means events are not even queued for delivery yet, which
 * the delivery metrics cannot show; -1 until first measured.
 */
@Component
@ConditionalOnProperty(
    name = "signet.webhooks.enabled",
    havingValue = "true",
    matchIfMissing = true)
class WebhookFeedLag implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(WebhookFeedLag.class);
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final KafkaAdmin kafkaAdmin;
  private final String groupId;
  private final AtomicLong lag = new AtomicLong(-1);
  private ScheduledExecutorService scheduler;
  private Admin admin;

  WebhookFeedLag(KafkaAdmin kafkaAdmin, WebhookProperties properties, MeterRegistry meters) {
    this.kafkaAdmin = kafkaAdmin;
    this.groupId = properties.consumerGroup();
    meters.gauge("signet.webhook.consumer.lag", lag);
  }

  @Override
  public void afterPropertiesSet() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhook-consumer-lag");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::refresh, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  void refresh() {
    try {
      if (admin == null) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 5000);
        admin = Admin.create(config);
      }
      String topic = Topics.AUDIT_ACTIVITY.name();
      var description =
          admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      description
          .get(topic)
          .partitions()
          .forEach(
              p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
              });
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
      long behind = 0;
      for (var entry : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(entry.getKey());
        long from = done != null ? done.offset() : starts.get(entry.getKey()).offset();
        behind += Math.max(0, entry.getValue().offset() - from);
      }
      lag.set(behind);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("webhook consumer lag unavailable: {}", e.toString());
    }
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
