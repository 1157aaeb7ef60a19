package dev.signet.audit.webhook;

import dev.signet.audit.lag.GroupLagProbe;
import dev.signet.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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

  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final KafkaAdmin kafkaAdmin;
  private final String groupId;
  private final AtomicLong lag = new AtomicLong(-1);
  private GroupLagProbe probe;

  WebhookFeedLag(KafkaAdmin kafkaAdmin, WebhookProperties properties, MeterRegistry meters) {
    this.kafkaAdmin = kafkaAdmin;
    this.groupId = properties.consumerGroup();
    meters.gauge("signet.webhook.consumer.lag", lag);
  }

  @Override
  public void afterPropertiesSet() {
    probe =
        new GroupLagProbe(
            "webhook-consumer-lag",
            kafkaAdmin,
            groupId,
            List.of(Topics.AUDIT_ACTIVITY.name()),
            INTERVAL,
            perTopic -> lag.set(perTopic.values().stream().mapToLong(Long::longValue).sum()));
  }

  @Override
  public void destroy() {
    if (probe != null) {
      probe.close();
    }
  }
}
