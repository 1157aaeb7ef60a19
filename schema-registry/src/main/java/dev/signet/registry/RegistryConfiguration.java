package dev.signet.registry;

import dev.signet.registry.log.KafkaSchemaLog;
import dev.signet.registry.log.SchemaLogHealthIndicator;
import dev.signet.registry.schema.CompatibilityLevel;
import dev.signet.registry.schema.RegistryState;
import dev.signet.registry.schema.SchemaRegistry;
import dev.signet.registry.schema.StoreRecords;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the registry state, the Kafka log that feeds it and the operations on both. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

  @Bean
  RegistryState registryState() {
    return new RegistryState();
  }

  @Bean(initMethod = "start", destroyMethod = "stop")
  KafkaSchemaLog kafkaSchemaLog(RegistryProperties properties, RegistryState state) {
    return new KafkaSchemaLog(
        properties.kafkaBootstrap(),
        properties.topic(),
        properties.topicReplicationFactor(),
        properties.writeTimeout(),
        properties.kafkaProperties(),
        new StoreRecords(state));
  }

  @Bean
  SchemaRegistry schemaRegistry(
      RegistryProperties properties, RegistryState state, KafkaSchemaLog kafkaSchemaLog) {
    CompatibilityLevel defaultLevel =
        CompatibilityLevel.parse(properties.defaultCompatibility())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Unknown compatibility level " + properties.defaultCompatibility()));
    return new SchemaRegistry(state, kafkaSchemaLog, defaultLevel);
  }

  @Bean
  SchemaLogHealthIndicator schemaLogHealthIndicator(KafkaSchemaLog kafkaSchemaLog) {
    return new SchemaLogHealthIndicator(kafkaSchemaLog);
  }
}
