package dev.signet.challenge.config;

import dev.signet.challenge.code.CodeGenerator;
import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.code.CodeSealer;
import dev.signet.events.Topics;
import dev.signet.platform.config.OffsetFileClock;
import dev.signet.platform.kafka.ProducedTopics;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wiring of the code primitives, the clock and the topics this service produces. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ChallengeConfiguration {

  static final String CLOCK_OFFSET_FILE = "signet.challenge.testing.clock-offset-file";

  private static final Logger log = LoggerFactory.getLogger(ChallengeConfiguration.class);

  /**
   * The system clock; a process started with {@code signet.challenge.testing.clock-offset-file}
   * (end-to-end tests only, refused under the production profile) reads an offset from that file.
   */
  @Bean
  Clock clock(Environment environment) {
    String offsetFile = environment.getProperty(CLOCK_OFFSET_FILE, "");
    if (offsetFile.isBlank()) {
      return Clock.systemUTC();
    }
    if (environment.matchesProfiles("production")) {
      throw new IllegalStateException(CLOCK_OFFSET_FILE + " is for tests only");
    }
    log.warn("test clock: the time is moved by the offset in {}", offsetFile);
    return new OffsetFileClock(Clock.systemUTC(), Path.of(offsetFile));
  }

  @Bean
  Object fictionalNumberRanges(ChallengeProperties properties) {
    dev.signet.challenge.phone.PhoneNumbers.allowFictionalPrefixes(
        properties.fictionalNumberPrefixes());
    return properties.fictionalNumberPrefixes();
  }

  @Bean
  SecureRandom secureRandom() {
    return new SecureRandom();
  }

  @Bean
  CodeGenerator codeGenerator(SecureRandom random) {
    return new CodeGenerator(random);
  }

  @Bean
  CodeHasher codeHasher(ChallengeProperties properties) {
    if (properties.codeHmacKey() == null || properties.codeHmacKey().isBlank()) {
      throw new IllegalStateException(
          "signet.challenge.code-hmac-key (SIGNET_CODE_HMAC_KEY) must be configured");
    }
    return new CodeHasher(Base64.getDecoder().decode(properties.codeHmacKey()));
  }

  @Bean
  CodeSealer codeSealer(ChallengeProperties properties, SecureRandom random) {
    return new CodeSealer(properties.sealKeys(), properties.sealActiveKeyId(), random);
  }

  /**
   * Every topic this service produces (challenges, actions, users, authenticators, sessions),
   * created at start-up where missing. {@code auth.action.decided.v1} is rules-service's.
   */
  @Bean
  KafkaAdmin.NewTopics producedTopics() {
    return ProducedTopics.declare(
        Topics.producedBy("challenge-service"), Topics.Topic::name, Topics.Topic::configs);
  }
}
