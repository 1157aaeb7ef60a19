package dev.signet.rules.config;

import dev.signet.events.Topics;
import dev.signet.rules.evaluation.RuleEvaluator;
import dev.signet.rules.policy.service.SendPolicyService;
import dev.signet.rules.store.RuleStore;
import dev.signet.rules.store.SendTrafficStore;
import dev.signet.rules.store.SignalStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import org.springframework.util.backoff.ExponentialBackOff;

/** Clock, evaluator, MongoDB indexes and Kafka error handling of rules-service. */
@Configuration(proxyBeanMethods = false)
class RulesConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  RuleEvaluator ruleEvaluator(Clock clock) {
    return new RuleEvaluator(clock);
  }

  /** The decision topic, created by its producer (this service), like challenge-service's. */
  @Bean
  NewTopic actionDecidedTopic() {
    return TopicBuilder.name(Topics.ACTION_DECIDED.name()).partitions(3).build();
  }

  /** Indexes, and the first stored send policy, before the listeners and the API need them. */
  @Bean
  ApplicationRunner createIndexes(
      RuleStore rules, SignalStore signals, SendTrafficStore traffic, SendPolicyService policies) {
    return args -> {
      signals.createIndexes();
      traffic.createIndexes();
      policies.initialise();
      rules.createIndexes().block(Duration.ofSeconds(30));
    };
  }

  /**
   * Failed records go to {@code <topic>.dlt}, named explicitly. Poison pills (records that cannot
   * be deserialised) go there at once with their original bytes; other failures (MongoDB or the
   * broker briefly away) after retries with exponential back-off. The consumer keeps running.
   */
  @Bean
  DefaultErrorHandler kafkaErrorHandler(ProducerFactory<Object, Object> producerFactory) {
    KafkaTemplate<Object, Object> avro = new KafkaTemplate<>(producerFactory);
    KafkaTemplate<Object, Object> raw =
        new KafkaTemplate<>(
            producerFactory,
            Map.of(
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class));
    Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    templates.put(byte[].class, raw);
    templates.put(Object.class, avro);
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            templates, (record, failure) -> new TopicPartition(Topics.dlt(record.topic()), -1));
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxElapsedTime(10_000);
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
    handler.addNotRetryableExceptions(DeserializationException.class);
    return handler;
  }
}
