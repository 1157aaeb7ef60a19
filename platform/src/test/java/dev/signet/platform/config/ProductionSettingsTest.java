package dev.signet.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.platform.config.ProductionSettings.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsTest {

  private static final ProductionSettings KAFKA_SERVICE =
      new ProductionSettings(
              "some-service",
              List.of(new Setting("signet.some.secret", "SIGNET_SOME_SECRET")),
              List.of())
          .withKafkaClient();

  private static MockEnvironment production() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.some.secret", "secret");
    return environment;
  }

  @Test
  void aKafkaClientRefusesToStartInProductionWithoutKafkaCredentials() {
    MockEnvironment environment = production();
    environment.setProperty("spring.kafka.security.protocol", "SASL_SSL");
    environment.setProperty("signet.kafka.username", "${SIGNET_KAFKA_USERNAME}");

    assertThatThrownBy(() -> KAFKA_SERVICE.check(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_KAFKA_USERNAME (signet.kafka.username) is not set")
        .hasMessageContaining("SIGNET_KAFKA_PASSWORD (signet.kafka.password) is not set");
  }

  @Test
  void aKafkaClientRefusesToStartInProductionOverPlaintext() {
    MockEnvironment environment = production();
    environment.setProperty("signet.kafka.username", "some-service");
    environment.setProperty("signet.kafka.password", "pw");
    environment.setProperty("spring.kafka.security.protocol", "PLAINTEXT");

    assertThatThrownBy(() -> KAFKA_SERVICE.check(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "SIGNET_KAFKA_SECURITY_PROTOCOL (spring.kafka.security.protocol) must be SASL_SSL or"
                + " SASL_PLAINTEXT, not PLAINTEXT");
  }

  @Test
  void anUnsetProtocolIsPlaintextAndRefusedToo() {
    MockEnvironment environment = production();
    environment.setProperty("signet.kafka.username", "some-service");
    environment.setProperty("signet.kafka.password", "pw");

    assertThatThrownBy(() -> KAFKA_SERVICE.check(environment))
        .hasMessageContaining("must be SASL_SSL or SASL_PLAINTEXT");
  }

  @Test
  void aKafkaClientStartsInProductionWithCredentialsOverSasl() {
    MockEnvironment environment = production();
    environment.setProperty("signet.kafka.username", "some-service");
    environment.setProperty("signet.kafka.password", "pw");
    environment.setProperty("spring.kafka.security.protocol", "SASL_SSL");

    assertThatCode(() -> KAFKA_SERVICE.check(environment)).doesNotThrowAnyException();
  }

  @Test
  void outsideProductionKafkaMayBePlaintextWithoutCredentials() {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("signet.some.secret", "secret");

    assertThatCode(() -> KAFKA_SERVICE.check(environment)).doesNotThrowAnyException();
  }

  @Test
  void asABeanItStopsTheContextBeforeAnyBeanIsCreated() {
    new ApplicationContextRunner()
        .withInitializer(context -> context.getEnvironment().setActiveProfiles("production"))
        .withBean("productionSettings", ProductionSettings.class, () -> KAFKA_SERVICE)
        .withBean(
            String.class,
            () -> {
              throw new AssertionError("a bean was created before the check");
            })
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SIGNET_SOME_SECRET (signet.some.secret) is not set"));
  }
}
