package dev.signet.platform.outbox;

import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The outbox of every service that says how to run it with an {@link OutboxSettings} bean (which
 * collections carry an outbox, how often the relay and the acknowledgements run); the service's
 * Kafka template, reactive MongoDB template and {@link Clock} do the rest.
 */
@AutoConfiguration
@ConditionalOnClass({KafkaTemplate.class, ReactiveMongoTemplate.class, SpecificRecord.class})
public class OutboxAutoConfiguration {

  @Bean
  @ConditionalOnBean(OutboxSettings.class)
  @ConditionalOnMissingBean
  Outbox outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      OutboxSettings settings) {
    return new Outbox(kafka, mongo, clock, settings);
  }
}
