package dev.signet.platform.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The consumer-group membership every Signet service's listeners share, configured here once:
 * static membership with the instance id {@code signet.kafka.instance-id} ({@code
 * SIGNET_INSTANCE_ID}; derived from host and port when unset), the session timeout {@code
 * signet.kafka.session-timeout} (6 s by default), and consumers that leave their group when they
 * are closed. Consumers a service builds itself (not listener containers) are left alone.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(ConcurrentMessageListenerContainer.class)
public class ConsumerMembershipAutoConfiguration {

  @Bean(destroyMethod = "release")
  ConsumerMembership signetConsumerMembership(Environment env) {
    String configured =
        env.getProperty("signet.kafka.instance-id", env.getProperty("SIGNET_INSTANCE_ID", ""));
    Duration session =
        env.getProperty(
            "signet.kafka.session-timeout",
            Duration.class,
            ConsumerMembership.DEFAULT_SESSION_TIMEOUT);
    return ConsumerMembership.of(
        configured, env.getProperty("server.port", Integer.class, 0), session);
  }

  /** Static membership and the session of every listener container (set per listener id). */
  @Bean
  ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>>
      signetStaticMembership(ConsumerMembership membership) {
    return container -> {
      Properties consumer = container.getContainerProperties().getKafkaConsumerProperties();
      consumer.setProperty(
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          membership.groupInstanceId(String.valueOf(container.getListenerId())));
      consumer.setProperty(
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
          Long.toString(membership.sessionTimeout().toMillis()));
      consumer.setProperty(
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          Long.toString(membership.heartbeatInterval().toMillis()));
    };
  }

  /** A graceful stop hands the partitions over at once (static members keep them otherwise). */
  @Bean
  DefaultKafkaConsumerFactoryCustomizer signetLeaveOnClose() {
    return factory -> factory.addPostProcessor(LeavingConsumer::wrap);
  }
}
