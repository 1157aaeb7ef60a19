package dev.signet.audit.webhook;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook stores, intake and dispatcher, and the delivery queue's indexes. The management API
 * and the dispatcher use the reactive stores; the audit topic's listener queues deliveries through
 * the blocking {@link DeliveryQueue} (see the concurrency model in docs/audit-service.md).
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  private static final Duration STARTUP = Duration.ofSeconds(60);

  @Bean
  MongoDatabase webhookDatabase(ReactiveMongoDatabaseFactory mongo) {
    return mongo.getMongoDatabase().block(STARTUP);
  }

  @Bean
  EndpointStore endpointStore(MongoDatabase webhookDatabase) {
    return new EndpointStore(webhookDatabase);
  }

  @Bean
  DeliveryStore deliveryStore(MongoDatabase webhookDatabase) {
    return new DeliveryStore(webhookDatabase);
  }

  @Bean
  DeliveryQueue deliveryQueue(MongoTemplate mongo) {
    return new DeliveryQueue(mongo.getDb());
  }

  @Bean
  WebhookIntake webhookIntake(
      DeliveryQueue queue,
      WebhookProperties properties,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    return new WebhookIntake(queue, properties, json, clock, meters);
  }

  @Bean
  @ConditionalOnProperty(
      name = "signet.webhooks.enabled",
      havingValue = "true",
      matchIfMissing = true)
  WebhookDispatcher webhookDispatcher(
      EndpointStore endpoints,
      DeliveryStore deliveries,
      WebhookProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new WebhookDispatcher(endpoints, deliveries, properties, clock, meters);
  }

  @Bean
  SmartInitializingSingleton createWebhookIndexes(DeliveryStore deliveries) {
    return () -> deliveries.createIndexes().block(STARTUP);
  }
}
