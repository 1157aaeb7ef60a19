package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.ChallengeRules;
import dev.signet.challenge.config.ChallengeProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the pure challenge rules with the service's clock and limits. */
@Configuration(proxyBeanMethods = false)
class ChallengeCore {

  @Bean
  ChallengeRules challengeRules(Clock clock, ChallengeProperties properties) {
    return new ChallengeRules(
        clock,
        new ChallengeRules.Limits(
            properties.limits().maxAttempts(),
            properties.limits().maxSends(),
            properties.limits().resendCooldown(),
            properties.codeLifetime()));
  }
}
