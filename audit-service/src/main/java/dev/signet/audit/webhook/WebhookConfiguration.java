package dev.signet.audit.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import tools.jackson.databind.json.JsonMapper;

/** The webhook store, intake and dispatcher, and the delivery queue's indexes. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  @Bean
  WebhookStore webhookStore(ReactiveMongoDatabaseFactory mongo) {
    return new WebhookStore(mongo.getMongoDatabase().block(Duration.ofSeconds(60)));
  }

  @Bean
  WebhookIntake webhookIntake(
      WebhookStore store,
      WebhookProperties properties,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    return new WebhookIntake(store, properties, json, clock, meters);
  }

  @Bean
  @ConditionalOnProperty(
      name = "signet.webhooks.enabled",
      havingValue = "true",
      matchIfMissing = true)
  WebhookDispatcher webhookDispatcher(
      WebhookStore store, WebhookProperties properties, Clock clock, MeterRegistry meters) {
    return new WebhookDispatcher(store, properties, clock, meters);
  }

  @Bean
  ApplicationRunner createWebhookIndexes(WebhookStore store) {
    return args -> store.createIndexes().block(Duration.ofSeconds(60));
  }
}
