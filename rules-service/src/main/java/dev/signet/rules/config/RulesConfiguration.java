package dev.signet.rules.config;

import dev.signet.events.Topics;
import dev.signet.platform.kafka.DeadLetters;
import dev.signet.platform.kafka.ProducedTopics;
import dev.signet.rules.evaluation.RuleEvaluator;
import dev.signet.rules.policy.service.SendPolicyService;
import dev.signet.rules.store.RuleStore;
import dev.signet.rules.store.SendTrafficStore;
import dev.signet.rules.store.SignalStore;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;

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

  /**
   * The topics this service produces (decisions, and the compacted send policy), created at
   * start-up where missing.
   */
  @Bean
  KafkaAdmin.NewTopics producedTopics() {
    return ProducedTopics.declare(
        Topics.producedBy("rules-service"), Topics.Topic::name, Topics.Topic::configs);
  }

  /** Indexes, and the first stored send policy, before the listeners and the API need them. */
  @Bean
  SmartInitializingSingleton createIndexes(
      RuleStore rules, SignalStore signals, SendTrafficStore traffic, SendPolicyService policies) {
    return () -> {
      signals.createIndexes();
      traffic.createIndexes();
      policies.initialise();
      rules.createIndexes().block(Duration.ofSeconds(30));
    };
  }

  /** Failed records go to {@code <topic>.dlt}, poison pills at once, others after retries. */
  @Bean
  DefaultErrorHandler kafkaErrorHandler(ProducerFactory<Object, Object> producerFactory) {
    return DeadLetters.errorHandler(producerFactory, Topics::dlt, Duration.ofMillis(200));
  }
}
