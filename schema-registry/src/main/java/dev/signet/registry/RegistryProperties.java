package dev.signet.registry;

import java.time.Duration;
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
 */
@ConfigurationProperties("signet.registry")
public record RegistryProperties(
    String kafkaBootstrap,
    String topic,
    int topicReplicationFactor,
    Duration writeTimeout,
    Duration readyTimeout,
    String defaultCompatibility) {}
