package dev.signet.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.signet.events.Topics;
import dev.signet.events.serde.InTestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The infrastructure a service's integration tests run against: an in-memory MongoDB-wire server
 * and spring-kafka-test's in-JVM KRaft broker on free loopback ports, and the in-test schema
 * registry. A support class starts one in a static field, so the Spring context it caches keeps it
 * for the JVM; each support class gets its own, so contexts never share topics or collections.
 *
 * <p>The broker is started here rather than by {@code @EmbeddedKafka} so that its address is the
 * test's to pin: the annotation publishes it through a JVM-wide system property that other contexts
 * overwrite.
 */
public final class TestStack {

  private final MongoServer mongo;
  private final int mongoPort;
  private final EmbeddedKafkaKraftBroker kafka;
  private final InTestRegistry registry;

  private TestStack(MongoServer mongo, EmbeddedKafkaKraftBroker kafka, InTestRegistry registry) {
    this.mongo = mongo;
    this.mongoPort = mongo.getLocalAddress().getPort();
    this.kafka = kafka;
    this.registry = registry;
  }

  /** A broker with one partition per topic, topics created on first use. */
  public static TestStack start() {
    return start(1);
  }

  /** A broker whose listed topics (and those created on first use) have {@code partitions}. */
  public static TestStack start(int partitions, String... topics) {
    return start(partitions, Map.of(), topics);
  }

  /** As {@link #start(int, String...)}, with extra broker settings. */
  public static TestStack start(
      int partitions, Map<String, String> brokerProperties, String... topics) {
    MongoServer mongo = startMongo();
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, partitions, topics);
    if (!brokerProperties.isEmpty()) {
      kafka.brokerProperties(brokerProperties);
    }
    kafka.afterPropertiesSet();
    return new TestStack(mongo, kafka, startRegistry());
  }

  /** Every topic of the catalogue and its dead-letter topic, for a broker that has them all. */
  public static String[] everyTopicAndDeadLetter() {
    List<String> topics = new ArrayList<>();
    for (Topics.Topic topic : Topics.all()) {
      topics.add(topic.name());
      topics.add(topic.dlt());
    }
    return topics.toArray(String[]::new);
  }

  /** A MongoDB-wire server alone, in memory, on a free loopback port. */
  public static MongoServer startMongo() {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    return mongo;
  }

  /** The URI of {@code database} on a server from {@link #startMongo()}. */
  public static String mongoUri(MongoServer mongo, String database) {
    return "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/" + database;
  }

  private static InTestRegistry startRegistry() {
    try {
      return new InTestRegistry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Points the service at this stack: {@code spring.mongodb.uri} (database {@code database}),
   * {@code spring.kafka.bootstrap-servers} and the serde's {@code schema.registry.url}. Its
   * consumers refresh topic metadata every half second: topics here are created on first use, and a
   * listener subscribed before its topic existed would otherwise see it only after five minutes.
   */
  public void register(DynamicPropertyRegistry properties, String database) {
    properties.add("spring.mongodb.uri", () -> mongoUri(database));
    properties.add("spring.kafka.bootstrap-servers", kafka::getBrokersAsString);
    properties.add("spring.kafka.properties.schema.registry.url", registry::url);
    properties.add("spring.kafka.consumer.properties.metadata.max.age.ms", () -> "500");
  }

  public String mongoUri(String database) {
    return "mongodb://127.0.0.1:" + mongoPort + "/" + database;
  }

  public int mongoPort() {
    return mongoPort;
  }

  public MongoServer mongo() {
    return mongo;
  }

  public EmbeddedKafkaKraftBroker kafka() {
    return kafka;
  }

  public String bootstrapServers() {
    return kafka.getBrokersAsString();
  }

  public InTestRegistry registry() {
    return registry;
  }

  /** A producer that writes as the services do: String keys, the project's Avro serde. */
  public KafkaProducer<String, Object> avroProducer() {
    return new KafkaProducer<>(AvroClients.producer(bootstrapServers(), registry.url()));
  }

  /** A producer of raw bytes, for records no serde would write (poison pills). */
  public KafkaProducer<String, byte[]> bytesProducer() {
    Properties config = producerConfig();
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(config);
  }

  /** A consumer of raw bytes from the beginning, in a group of its own (dead letters, poison). */
  public KafkaConsumer<String, byte[]> bytesConsumer(String name) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(config);
  }

  private Properties producerConfig() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return config;
  }

  /** Starts reading the given topics from their beginning; see {@link EventLog}. */
  public EventLog eventLog(String name, Collection<String> topics) {
    return EventLog.start(name, bootstrapServers(), registry.url(), List.copyOf(topics));
  }
}
