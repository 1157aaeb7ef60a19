package dev.signet.sms.outbox;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxSettings;
import dev.signet.sms.config.DispatcherProperties;
import java.time.Clock;
import java.util.List;
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
      DispatcherProperties properties) {
    return new Outbox(
        kafka,
        mongo,
        clock,
        new OutboxSettings(
            COLLECTIONS,
            properties.relayInterval(),
            properties.relayGrace(),
            properties.outboxAckInterval(),
            200));
  }
}
