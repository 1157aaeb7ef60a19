package dev.signet.challenge.outbox;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The platform outbox over every collection of challenge-service whose documents announce events.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

  static final List<String> COLLECTIONS =
      List.of("challenges", "users", "actions", "send_refusals", "sessions");

  @Bean
  Outbox outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      ChallengeProperties properties,
      @Value("${signet.challenge.outbox-ack-interval:1s}") Duration ackInterval) {
    return new Outbox(
        kafka,
        mongo,
        clock,
        new OutboxSettings(
            COLLECTIONS, properties.relayInterval(), properties.relayGrace(), ackInterval, 200));
  }
}
