package dev.signet.challenge.session;

import dev.signet.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The session topics, created by their producer (this service), and the session settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SessionProperties.class)
class SessionTopics {

  @Bean
  NewTopic sessionCreatedTopic() {
    return topic(Topics.SESSION_CREATED);
  }

  @Bean
  NewTopic sessionRefreshedTopic() {
    return topic(Topics.SESSION_REFRESHED);
  }

  @Bean
  NewTopic sessionRevokedTopic() {
    return topic(Topics.SESSION_REVOKED);
  }

  @Bean
  NewTopic sessionReuseDetectedTopic() {
    return topic(Topics.SESSION_REUSE_DETECTED);
  }

  private static NewTopic topic(Topics.Topic topic) {
    return TopicBuilder.name(topic.name()).partitions(3).build();
  }
}
