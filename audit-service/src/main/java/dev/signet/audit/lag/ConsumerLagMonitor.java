package dev.signet.audit.lag;

import dev.signet.audit.config.AuditProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Reads the view builder's consumer lag from the broker every few seconds ({@link GroupLagProbe})
 * into {@link ViewLag}, per topic.
 */
@Component
class ConsumerLagMonitor implements InitializingBean, DisposableBean {

  private final KafkaAdmin kafkaAdmin;
  private final ViewLag lag;
  private final ConsumedTopics topics;
  private final String groupId;
  private final AuditProperties properties;
  private GroupLagProbe probe;

  ConsumerLagMonitor(
      KafkaAdmin kafkaAdmin,
      ViewLag lag,
      ConsumedTopics topics,
      AuditProperties properties,
      org.springframework.boot.kafka.autoconfigure.KafkaProperties kafka) {
    this.kafkaAdmin = kafkaAdmin;
    this.lag = lag;
    this.topics = topics;
    this.groupId = kafka.getConsumer().getGroupId();
    this.properties = properties;
  }

  @Override
  public void afterPropertiesSet() {
    probe =
        new GroupLagProbe(
            "audit-consumer-lag",
            kafkaAdmin,
            groupId,
            topics.names(),
            properties.lagInterval(),
            perTopic -> perTopic.forEach(lag::consumerLag));
  }

  @Override
  public void destroy() {
    if (probe != null) {
      probe.close();
    }
  }
}
