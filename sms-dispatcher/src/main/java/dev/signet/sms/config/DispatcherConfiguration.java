package dev.signet.sms.config;

import com.vonage.client.HttpConfig;
import com.vonage.client.VonageClient;
import dev.signet.events.Topics;
import dev.signet.platform.outbox.Outbox;
import dev.signet.sms.dispatch.CodeOpener;
import dev.signet.sms.dispatch.SendAttempts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.backoff.ExponentialBackOff;

/** Wiring of the Vonage client, the code opener and Kafka error handling. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DispatcherConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Randomness for retry jitter. */
  @Bean
  RandomGenerator dispatchRandom() {
    return new SecureRandom();
  }

  /** Indexes the attempt store and the outbox relay need, created at start-up (idempotent). */
  @Bean
  ApplicationRunner attemptIndexes(SendAttempts attempts, Outbox outbox) {
    return args ->
        attempts.ensureIndexes().then(outbox.ensurePendingIndexes()).block(Duration.ofSeconds(30));
  }

  @Bean
  NewTopic smsDispatchedTopic() {
    return topic(Topics.SMS_DISPATCHED);
  }

  @Bean
  NewTopic smsDispatchFailedTopic() {
    return topic(Topics.SMS_DISPATCH_FAILED);
  }

  @Bean
  NewTopic smsDeliveryReportedTopic() {
    return topic(Topics.SMS_DELIVERY_REPORTED);
  }

  @Bean
  NewTopic smsBlockedTopic() {
    return topic(Topics.SMS_BLOCKED);
  }

  private static NewTopic topic(Topics.Topic topic) {
    return TopicBuilder.name(topic.name()).partitions(3).build();
  }

  @Bean
  CodeOpener codeOpener(DispatcherProperties properties) {
    return new CodeOpener(properties.sealKeys(), properties.acceptLegacySeal());
  }

  @Bean
  VonageClient vonageClient(DispatcherProperties properties) {
    HttpConfig.Builder http =
        HttpConfig.builder().timeoutMillis((int) properties.vonageTimeout().toMillis());
    if (properties.vonageBaseUri() != null && !properties.vonageBaseUri().isBlank()) {
      http.baseUri(properties.vonageBaseUri());
    }
    return VonageClient.builder()
        .apiKey(properties.vonageApiKey())
        .apiSecret(properties.vonageApiSecret())
        .httpConfig(http.build())
        .build();
  }

  /**
   * Failed records go to {@code <topic>.dlt}, named explicitly. Poison pills (records that cannot
   * be deserialised) go there at once with their original bytes; other failures after a few retries
   * with exponential back-off. The consumer keeps running either way.
   */
  @Bean
  DefaultErrorHandler kafkaErrorHandler(ProducerFactory<Object, Object> producerFactory) {
    KafkaTemplate<Object, Object> avro = new KafkaTemplate<>(producerFactory);
    KafkaTemplate<Object, Object> raw =
        new KafkaTemplate<>(
            producerFactory,
            Map.of(
                "key.serializer",
                org.apache.kafka.common.serialization.StringSerializer.class,
                "value.serializer",
                org.apache.kafka.common.serialization.ByteArraySerializer.class));
    Map<Class<?>, KafkaOperations<?, ?>> templates = new java.util.LinkedHashMap<>();
    templates.put(byte[].class, raw);
    templates.put(Object.class, avro);
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            templates, (record, failure) -> new TopicPartition(Topics.dlt(record.topic()), -1));
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxElapsedTime(10_000);
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
    // A batch that fails at one record hands the records behind it back to the listener instead of
    // seeking (which the container reports as an error with a stack trace per poison pill).
    handler.setSeekAfterError(false);
    handler.addNotRetryableExceptions(
        DeserializationException.class, CodeOpener.SealException.class);
    return handler;
  }
}
