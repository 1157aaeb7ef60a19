package dev.signet.sms.outbox;

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

/** The platform outbox over the dispatcher's attempts and delivery receipts. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

  /** Collections whose documents carry an outbox array. */
  static final List<String> COLLECTIONS = List.of("sms_attempts", "sms_receipts");

  @Bean
  Outbox outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      @Value("${signet.sms.relay-interval:1s}") Duration relayInterval,
      @Value("${signet.sms.relay-grace:5s}") Duration relayGrace,
      @Value("${signet.sms.outbox-ack-interval:200ms}") Duration ackInterval) {
    return new Outbox(
        kafka,
        mongo,
        clock,
        new OutboxSettings(COLLECTIONS, relayInterval, relayGrace, ackInterval, 200));
  }
}
