package dev.signet.challenge.outbox;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.platform.outbox.OutboxSettings;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The platform outbox (auto-configured from these settings) over every collection of
 * challenge-service whose documents announce events.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

  static final List<String> COLLECTIONS =
      List.of("challenges", "users", "actions", "send_refusals", "sessions");

  @Bean
  OutboxSettings outboxSettings(ChallengeProperties properties) {
    return properties.outbox(COLLECTIONS);
  }
}
