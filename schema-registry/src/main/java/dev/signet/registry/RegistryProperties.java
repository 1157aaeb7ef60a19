package dev.signet.registry;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the registry, prefix {@code signet.registry}.
 *
 * @param kafkaBootstrap Kafka bootstrap servers of the store ({@code SIGNET_KAFKA_BOOTSTRAP})
 * @param topic the compacted store topic, {@code _schemas} like Confluent's
 * @param topicReplicationFactor replication factor used when the registry creates the topic; capped
 *     at the number of brokers
 * @param writeTimeout how long a write may take until the registry has read it back
 * @param readyTimeout how long a request waits for the initial read of the topic
 * @param defaultCompatibility the global compatibility level until one is configured
 * @param kafkaProperties Kafka client settings added to the store's producer, consumer and admin:
 *     {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config} (its principal)
 * @param writer the HTTP Basic credential that registering schemas, deleting subjects and changing
 *     the compatibility configuration need; reads are public
 */
@ConfigurationProperties("signet.registry")
public record RegistryProperties(
    String kafkaBootstrap,
    String topic,
    int topicReplicationFactor,
    Duration writeTimeout,
    Duration readyTimeout,
    String defaultCompatibility,
    Map<String, String> kafkaProperties,
    Writer writer) {

  public RegistryProperties {
    kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
    writer = writer == null ? new Writer("schema-writer", "") : writer;
  }

  /**
   * The writer's credential.
   *
   * @param username the Basic user name
   * @param password the Basic password ({@code SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD}); blank
   *     means no one may write
   */
  public record Writer(String username, String password) {

    @Override
    public String toString() {
      return "Writer[username=" + username + "]";
    }
  }
}
