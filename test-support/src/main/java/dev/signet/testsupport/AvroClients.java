package dev.signet.testsupport;

import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.events.serde.SignetAvroSerializer;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings of a test that reads or writes events as the services do: String keys (the
 * aggregate id) and the project's Avro serde against the test's schema registry.
 */
public final class AvroClients {

  private AvroClients() {}

  /**
   * A consumer in group {@code groupId} that starts at the beginning of its topics, decodes into
   * the generated event classes and finds topics created after it subscribed within half a second.
   */
  public static Properties consumer(String groupId, String bootstrapServers, String registryUrl) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SignetAvroDeserializer.class.getName());
    config.put("schema.registry.url", registryUrl);
    config.put("specific.avro.reader", "true");
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
    return config;
  }

  /** A producer that writes events as the services do. */
  public static Properties producer(String bootstrapServers, String registryUrl) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
    config.put("schema.registry.url", registryUrl);
    return config;
  }
}
