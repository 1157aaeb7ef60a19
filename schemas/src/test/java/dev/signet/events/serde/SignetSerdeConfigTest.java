package dev.signet.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SignetSerdeConfigTest {

  private static final String URL = "http://127.0.0.1:8085";

  private static String userInfo(Map<String, ?> configs) {
    return SignetSerdeConfig.parse(configs, true).client().basicAuthUserInfo();
  }

  @Test
  void userInfoIsSentWhenTheSourceSaysUserInfo() {
    assertThat(
            userInfo(
                Map.of(
                    "schema.registry.url", URL,
                    "basic.auth.credentials.source", "USER_INFO",
                    "basic.auth.user.info", "schema-writer:pw")))
        .isEqualTo("schema-writer:pw");
  }

  @Test
  void userInfoIsIgnoredUnderTheDefaultUrlSourceAsInConfluentsSerde() {
    assertThat(
            userInfo(
                Map.of("schema.registry.url", URL, "basic.auth.user.info", "schema-writer:pw")))
        .isNull();
  }

  @Test
  void saslInheritTakesTheKafkaClientsOwnCredentials() {
    assertThat(
            userInfo(
                Map.of(
                    "schema.registry.url",
                    URL,
                    "basic.auth.credentials.source",
                    "SASL_INHERIT",
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"rules-service\" password=\"pw\";")))
        .isEqualTo("rules-service:pw");
  }

  @Test
  void anUnknownSourceIsAConfigurationError() {
    assertThatThrownBy(
            () ->
                userInfo(
                    Map.of("schema.registry.url", URL, "basic.auth.credentials.source", "TOKEN")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("URL, USER_INFO or SASL_INHERIT");
  }
}
