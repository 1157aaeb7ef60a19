package dev.signet.sms.config;

import com.vonage.client.HttpConfig;
import com.vonage.client.VonageClient;
import dev.signet.events.Topics;
import dev.signet.sms.dispatch.CodeOpener;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

/** Wiring of the Vonage client, the code opener and Kafka error handling. */
@Configuration(proxyBeanMethods = false)
class DispatcherConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  CodeOpener codeOpener(DispatcherProperties properties) {
    return new CodeOpener(properties.sealKeys());
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
    handler.addNotRetryableExceptions(
        DeserializationException.class, CodeOpener.SealException.class);
    return handler;
  }
}
