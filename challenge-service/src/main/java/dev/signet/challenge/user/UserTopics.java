package dev.signet.challenge.user;

import dev.signet.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The user and authenticator topics, created by their producer (this service). */
@Configuration(proxyBeanMethods = false)
class UserTopics {

  @Bean
  NewTopic userUpdatedTopic() {
    return topic(Topics.USER_UPDATED);
  }

  @Bean
  NewTopic userDeletedTopic() {
    return topic(Topics.USER_DELETED);
  }

  @Bean
  NewTopic authenticatorEnrolledTopic() {
    return topic(Topics.AUTHENTICATOR_ENROLLED);
  }

  @Bean
  NewTopic authenticatorUpdatedTopic() {
    return topic(Topics.AUTHENTICATOR_UPDATED);
  }

  @Bean
  NewTopic authenticatorRemovedTopic() {
    return topic(Topics.AUTHENTICATOR_REMOVED);
  }

  private static NewTopic topic(Topics.Topic topic) {
    return TopicBuilder.name(topic.name()).partitions(3).build();
  }
}
