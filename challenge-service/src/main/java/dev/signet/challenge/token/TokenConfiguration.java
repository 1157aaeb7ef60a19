package dev.signet.challenge.token;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the {@link TokenService}; start-up fails here when no signing keys are configured. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
class TokenConfiguration {

  @Bean
  TokenService tokenService(
      TokenProperties properties, Clock clock, SecureRandom random, MeterRegistry meters) {
    return new TokenService(properties, clock, random, meters);
  }
}
