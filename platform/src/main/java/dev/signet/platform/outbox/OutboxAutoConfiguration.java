package dev.signet.platform.outbox;

import dev.signet.platform.tracing.TraceHandoff;
import dev.signet.platform.tracing.TracingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
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
 * Kafka template, reactive MongoDB template and {@link Clock} do the rest. With a meter registry,
 * the age of each collection's oldest unpublished event is exported too.
 */
@AutoConfiguration(
    after = TracingAutoConfiguration.class,
    afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
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

  /** Often enough for a one-minute alert, rare enough to cost nothing next to the relay. */
  static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(15);

  @Bean
  @ConditionalOnBean({OutboxSettings.class, MeterRegistry.class})
  @ConditionalOnMissingBean
  OutboxBacklog outboxBacklog(
      ReactiveMongoTemplate mongo, Clock clock, OutboxSettings settings, MeterRegistry meters) {
    return new OutboxBacklog(mongo, clock, settings, BACKLOG_INTERVAL, meters);
  }
}
