package dev.signet.challenge.action;

import dev.signet.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The action topics this service produces. {@code auth.action.decided.v1} is rules-service's: it
 * creates it, and {@link DecisionReplies} waits for it.
 */
@Configuration(proxyBeanMethods = false)
class ActionTopics {

  @Bean
  NewTopic actionTrackedTopic() {
    return TopicBuilder.name(Topics.ACTION_TRACKED.name()).partitions(3).build();
  }

  @Bean
  NewTopic actionStateChangedTopic() {
    return TopicBuilder.name(Topics.ACTION_STATE_CHANGED.name()).partitions(3).build();
  }
}
