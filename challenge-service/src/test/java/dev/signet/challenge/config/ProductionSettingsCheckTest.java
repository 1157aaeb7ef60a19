package dev.signet.challenge.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.signet.challenge.ChallengeApplication;
import dev.signet.challenge.token.TestKeys;
import dev.signet.testsupport.ProductionStart;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsCheckTest {

  /**
   * Every secret as the command line would give it, so that one can be left out per test; Kafka,
   * MongoDB and the HTTP port point nowhere, so that a start the check let through would reach no
   * one's servers.
   */
  private static final List<String> SECRETS =
      withNowhere(
          List.of(
              "--SIGNET_API_SECRET=api-secret",
              "--SIGNET_MANAGEMENT_SECRET=management-secret",
              "--SIGNET_CODE_HMAC_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
              "--SIGNET_SEAL_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
              "--SIGNET_TOKEN_SIGNING_KEYS=" + TestKeys.jwkSet(TestKeys.p256("t1"))));

  private static List<String> withNowhere(List<String> secrets) {
    List<String> args = ProductionStart.nowhere("challenge-service");
    args.addAll(secrets);
    return List.copyOf(args);
  }

  private static void startInProduction(List<String> args) {
    ProductionStart.start(ChallengeApplication.class, args);
  }

  private static List<String> secretsWithout(String variable) {
    return ProductionStart.without(SECRETS, variable);
  }

  @Test
  void theServiceRefusesToStartInProductionWhenTheApiSecretVariableIsUnset() {
    // application.yml reads ${SIGNET_API_SECRET}; unset, it would bind as that literal text.
    assumeThat(System.getenv("SIGNET_API_SECRET")).isNull();

    assertThatThrownBy(() -> startInProduction(secretsWithout("SIGNET_API_SECRET")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "challenge-service refuses to start under the production profile: SIGNET_API_SECRET"
                + " (signet.challenge.api-secret) is not set");
  }

  @Test
  void theServiceRefusesToStartInProductionWithABlankSecretOrAFictionalRange() {
    List<String> args = secretsWithout("SIGNET_TOKEN_SIGNING_KEYS");
    args.add("--SIGNET_TOKEN_SIGNING_KEYS= ");
    args.add("--SIGNET_FICTIONAL_NUMBER_PREFIXES=+4477009");

    assertThatThrownBy(() -> startInProduction(args))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "SIGNET_TOKEN_SIGNING_KEYS (signet.challenge.token.signing-keys) is not set")
        .hasMessageContaining(
            "SIGNET_FICTIONAL_NUMBER_PREFIXES (signet.challenge.fictional-number-prefixes) must be"
                + " empty in production")
        .message()
        .doesNotContain(
            "SIGNET_API_SECRET",
            "SIGNET_MANAGEMENT_SECRET",
            "SIGNET_CODE_HMAC_KEY",
            "SIGNET_SEAL_KEYS");
  }

  @Test
  void namesEveryMissingSecretAndEveryDevelopmentSettingThatIsOn() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.challenge.api-secret", "${SIGNET_API_SECRET}");
    environment.setProperty("signet.challenge.code-hmac-key", "");
    environment.setProperty("signet.challenge.seal-keys", "k1:key");
    environment.setProperty("signet.challenge.test-numbers", "+447700900000:000000");

    assertThatThrownBy(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_API_SECRET")
        .hasMessageContaining("SIGNET_CODE_HMAC_KEY")
        .hasMessageContaining("SIGNET_TOKEN_SIGNING_KEYS")
        .hasMessageContaining("SIGNET_TEST_NUMBERS (signet.challenge.test-numbers) must be empty")
        .message()
        .doesNotContain("SIGNET_SEAL_KEYS", "SIGNET_FICTIONAL_NUMBER_PREFIXES");
  }

  @Test
  void passesInProductionWithEverySecretAndNoDevelopmentSetting() {
    MockEnvironment environment = ProductionStart.productionEnvironment("challenge-service");
    environment.setProperty("signet.challenge.api-secret", "a");
    environment.setProperty("signet.challenge.management-secret", "m");
    environment.setProperty("signet.challenge.code-hmac-key", "b");
    environment.setProperty("signet.challenge.seal-keys", "k1:c");
    environment.setProperty("signet.challenge.token.signing-keys", "d");
    environment.setProperty("signet.challenge.fictional-number-prefixes", "");

    assertThatCode(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .doesNotThrowAnyException();
  }

  @Test
  void theTestClockIsRefusedInProduction() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    environment.setProperty("signet.challenge.api-secret", "a");
    environment.setProperty("signet.challenge.management-secret", "m");
    environment.setProperty("signet.challenge.code-hmac-key", "b");
    environment.setProperty("signet.challenge.seal-keys", "k1:c");
    environment.setProperty("signet.challenge.token.signing-keys", "d");
    environment.setProperty("signet.challenge.testing.clock-offset-file", "/tmp/offset");

    assertThatThrownBy(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "SIGNET_TESTING_CLOCK_OFFSET_FILE (signet.challenge.testing.clock-offset-file) must be"
                + " empty");
  }

  @Test
  void theServiceRefusesToStartInProductionWithTheTestClock() {
    List<String> args = new ArrayList<>(SECRETS);
    args.add("--SIGNET_TESTING_CLOCK_OFFSET_FILE=/tmp/signet-clock-offset");

    assertThatThrownBy(() -> startInProduction(args))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_TESTING_CLOCK_OFFSET_FILE");
  }

  @Test
  void outsideProductionNothingIsRequired() {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("signet.challenge.fictional-number-prefixes", "+4477009");

    assertThatCode(() -> ProductionSettingsCheck.SETTINGS.check(environment))
        .doesNotThrowAnyException();
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutKafkaCredentialsOrOverPlaintext() {
    ProductionStart.assertRefusesKafkaWithoutCredentials(ProductionSettingsCheck.SETTINGS::check);
  }
}
