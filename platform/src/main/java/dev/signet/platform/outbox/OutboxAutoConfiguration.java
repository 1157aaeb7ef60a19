package dev.signet.platform.outbox;

import dev.signet.platform.tracing.TraceHandoff;
import dev.signet.platform.tracing.TracingAutoConfiguration;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.ObjectProvider;
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
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnClass({KafkaTemplate.class, ReactiveMongoTemplate.class, SpecificRecord.class})
public class OutboxAutoConfiguration {

  @Bean
  @ConditionalOnBean(OutboxSettings.class)
  @ConditionalOnMissingBean
  Outbox outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      OutboxSettings settings,
      ObjectProvider<TraceHandoff> traces) {
    return new Outbox(kafka, mongo, clock, settings, traces.getIfAvailable(TraceHandoff::none));
  }
}
