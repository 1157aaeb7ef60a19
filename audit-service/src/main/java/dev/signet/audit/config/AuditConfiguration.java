package dev.signet.audit.config;

import dev.signet.audit.activity.PhoneHasher;
import dev.signet.audit.lag.ViewLag;
import dev.signet.audit.view.ViewCollections;
import dev.signet.events.Topics;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.platform.config.OffsetFileClock;
import dev.signet.platform.kafka.DeadLetters;
import dev.signet.platform.kafka.ProducedTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Clock, phone hashing, the event decoder, indexes, topics and Kafka error handling. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

  static final String CLOCK_OFFSET_FILE = "signet.audit.testing.clock-offset-file";

  /**
   * The system clock; a process started with {@code signet.audit.testing.clock-offset-file}
   * (end-to-end tests only, refused under the production profile) reads an offset from that file,
   * so that a test can let the webhook retry schedule run for hours in seconds.
   */
  @Bean
  Clock clock(AuditProperties properties, Environment environment) {
    if (!properties.testing().movesClock()) {
      return Clock.systemUTC();
    }
    String offsetFile = properties.testing().clockOffsetFile();
    if (environment.matchesProfiles("production")) {
      throw new IllegalStateException(CLOCK_OFFSET_FILE + " is for tests only");
    }
    LoggerFactory.getLogger(AuditConfiguration.class)
        .warn("test clock: the time is moved by the offset in {}", offsetFile);
    return new OffsetFileClock(Clock.systemUTC(), Path.of(offsetFile));
  }

  /**
   * The phone hash key: {@code SIGNET_AUDIT_PHONE_HASH_KEY} when set, else derived from the
   * management secret (so a stack works without one more secret; setting a dedicated key keeps
   * look-ups stable when the management secret rotates).
   */
  @Bean
  PhoneHasher phoneHasher(AuditProperties properties) {
    String key = properties.phoneHashKey();
    if (key == null || key.isBlank()) {
      String secret = properties.managementSecret();
      if (secret == null || secret.isBlank()) {
        throw new IllegalStateException(
            "signet.audit.management-secret (SIGNET_MANAGEMENT_SECRET) must be configured");
      }
      key = "signet-audit-phone-hash\n" + secret;
    }
    try {
      return new PhoneHasher(
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes the consumed records' values (the listener reads bytes, to dead-letter them as is). */
  @Bean(destroyMethod = "close")
  SignetAvroDeserializer auditDeserializer(KafkaProperties kafka) {
    String registryUrl = kafka.getProperties().get("schema.registry.url");
    if (registryUrl == null || registryUrl.isBlank()) {
      throw new IllegalStateException(
          "spring.kafka.properties.schema.registry.url (SIGNET_SCHEMA_REGISTRY_URL) must be set");
    }
    SignetAvroDeserializer deserializer = new SignetAvroDeserializer();
    deserializer.configure(
        Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
    return deserializer;
  }

  /**
   * Publishes the audit topic with the Avro serde configured in application.yml (declared here
   * because the dead-letter template below makes Boot's default template back off).
   */
  @Bean
  KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory) {
    return new KafkaTemplate<>(producerFactory);
  }

  /** Sends dead letters with the original key and value bytes. */
  @Bean
  KafkaTemplate<String, byte[]> deadLetterTemplate(
      ProducerFactory<Object, Object> producerFactory) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    overrides.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    @SuppressWarnings({"unchecked", "rawtypes"})
    KafkaTemplate<String, byte[]> template =
        new KafkaTemplate<>((ProducerFactory) producerFactory, overrides);
    return template;
  }

  /** The audit topic, created by its producer (this service) at start-up where missing. */
  @Bean
  KafkaAdmin.NewTopics producedTopics() {
    return ProducedTopics.declare(
        Topics.producedBy("audit-service"), Topics.Topic::name, Topics.Topic::configs);
  }

  /**
   * A batch that fails for another reason than an undecodable record (those are dead-lettered by
   * the listener itself) is retried whole with exponential back-off for up to five minutes; after
   * that its records go to {@code <topic>.dlt} with their bytes, and the consumer goes on. A batch
   * that failed because MongoDB is unreachable is retried until it is back, however long that
   * takes.
   */
  @Bean
  DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> deadLetterTemplate) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            deadLetterTemplate,
            (record, failure) -> new TopicPartition(Topics.dlt(record.topic()), -1));
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(10_000);
    backOff.setMaxElapsedTime(300_000);
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
    DeadLetters.retryWhileStoreUnavailable(handler);
    return handler;
  }

  @Bean
  SmartInitializingSingleton createIndexesAndSeedLag(MongoTemplate mongo, ViewLag lag) {
    return () -> {
      ViewIndexes.ALL.forEach(
          (collection, models) -> mongo.getCollection(collection).createIndexes(models));
      // The newest event per topic already in the views, so the age gauge is right after a
      // restart before new events arrive.
      for (Document d :
          mongo
              .getCollection(ViewCollections.ACTIVITIES)
              .aggregate(
                  List.of(
                      new Document(
                          "$group",
                          new Document("_id", "$sourceTopic")
                              .append("newest", new Document("$max", "$occurredAt")))))) {
        if (d.getString("_id") != null && d.getDate("newest") != null) {
          lag.seedNewest(d.getString("_id"), d.getDate("newest").toInstant());
        }
      }
    };
  }
}
