package dev.signet.challenge.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Start-up behaviour of the token wiring, with the placeholder exactly as application.yml has it.
 */
class TokenConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(TokenConfiguration.class, ClockAndRandom.class);

  @Configuration(proxyBeanMethods = false)
  static class ClockAndRandom {
    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }

    @Bean
    SecureRandom secureRandom() {
      return new SecureRandom();
    }

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void refusesToStartWhenTheKeysVariableIsUnset() {
    runner
        .withPropertyValues(
            "signet.challenge.token.signing-keys=${SIGNET_TOKEN_SIGNING_KEYS_UNSET_IN_TEST}")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("SIGNET_TOKEN_SIGNING_KEYS")
                  .hasMessageContaining("must be configured");
            });
  }

  @Test
  void refusesToStartWithoutAnyKeySetting() {
    runner.run(
        context ->
            assertThat(context.getStartupFailure())
                .rootCause()
                .hasMessageContaining("SIGNET_TOKEN_SIGNING_KEYS"));
  }

  @Test
  void startsWithConfiguredKeysAndDefaults() {
    runner
        .withPropertyValues(
            "signet.challenge.token.signing-keys=" + TestKeys.jwkSet(TestKeys.p256("t1")),
            "signet.challenge.token.active-key-id=")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TokenProperties properties = context.getBean(TokenProperties.class);
              assertThat(properties.audience()).isEqualTo("signet");
              assertThat(properties.lifetime()).hasMinutes(10);
              assertThat(properties.clockSkew()).hasSeconds(30);
              TokenService tokens = context.getBean(TokenService.class);
              String token =
                  tokens.issue(TokenKind.SUCCESS, new TokenClaims("u", "signIn", "i", null, "t"));
              assertThat(tokens.verify(token)).isInstanceOf(TokenVerification.Valid.class);
            });
  }
}
