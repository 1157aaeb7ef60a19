package dev.signet.sms.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.signet.sms.SmsDispatcherApplication;
import dev.signet.testsupport.ProductionStart;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

@ExtendWith(OutputCaptureExtension.class)
class ProductionSettingsCheckTest {

  /**
   * Every secret as the command line would give it, so that one can be left out per test; Kafka,
   * MongoDB and the HTTP port point nowhere, so that a start the check let through would reach no
   * one's servers.
   */
  private static final List<String> ARGS =
      withNowhere(
          List.of(
              "--SIGNET_VONAGE_API_KEY=0123abcd",
              "--SIGNET_VONAGE_API_SECRET=0123456789abcdef",
              "--SIGNET_VONAGE_SIGNATURE_SECRET=signature-secret",
              "--SIGNET_MANAGEMENT_SECRET=management-secret",
              "--SIGNET_SEAL_KEYS=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));

  private static List<String> withNowhere(List<String> secrets) {
    List<String> args = ProductionStart.nowhere("sms-dispatcher");
    args.addAll(secrets);
    return List.copyOf(args);
  }

  private static void startInProduction(List<String> args) {
    ProductionStart.start(SmsDispatcherApplication.class, args);
  }

  private static List<String> argsWithout(String variable) {
    return ProductionStart.without(ARGS, variable);
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutTheWebhookSignatureSecret() {
    // application.yml defaults it to empty, which outside production accepts unsigned receipts.
    assumeThat(System.getenv("SIGNET_VONAGE_SIGNATURE_SECRET")).isNull();

    assertThatThrownBy(() -> startInProduction(argsWithout("SIGNET_VONAGE_SIGNATURE_SECRET")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "sms-dispatcher refuses to start under the production profile:"
                + " SIGNET_VONAGE_SIGNATURE_SECRET (signet.sms.vonage-signature-secret) is not set."
                + " See docs/operations.md.");
  }

  @Test
  void theServiceRefusesToStartInProductionWhenTheApiSecretVariableIsUnsetOrTestNumbersAreOn() {
    assumeThat(System.getenv("SIGNET_VONAGE_API_SECRET")).isNull();
    List<String> args = argsWithout("SIGNET_VONAGE_API_SECRET");
    args.add("--SIGNET_TEST_NUMBERS=+447700900000:000000");

    assertThatThrownBy(() -> startInProduction(args))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_VONAGE_API_SECRET (signet.sms.vonage-api-secret) is not set")
        .hasMessageContaining("SIGNET_TEST_NUMBERS (signet.sms.test-numbers) must be empty")
        .message()
        .doesNotContain(
            "SIGNET_VONAGE_API_KEY",
            "SIGNET_MANAGEMENT_SECRET",
            "SIGNET_SEAL_KEYS",
            "SIGNATURE_SECRET");
  }

  @Test
  void passesInProductionWithEverySecretAndNoTestNumbers(CapturedOutput output) {
    MockEnvironment environment = production();
    environment.setProperty("signet.sms.vonage-api-key", "k");
    environment.setProperty("signet.sms.vonage-api-secret", "s");
    environment.setProperty("signet.sms.vonage-signature-secret", "sig");
    environment.setProperty("signet.sms.management-secret", "m");
    environment.setProperty("signet.sms.seal-keys", "k1:x");
    environment.setProperty("signet.sms.test-numbers", " ");
    environment.setProperty("spring.kafka.security.protocol", "SASL_SSL");
    environment.setProperty("signet.kafka.username", "sms-dispatcher");
    environment.setProperty("signet.kafka.password", "kafka-password");

    assertThatCode(() -> ProductionSettingsCheck.check(environment)).doesNotThrowAnyException();
    assertThat(output).doesNotContain("SIGNET_VONAGE_SIGNATURE_SECRET");
  }

  @Test
  void outsideProductionUnsignedReceiptsAreAcceptedWithAWarning(CapturedOutput output) {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("signet.sms.vonage-signature-secret", "");

    assertThatCode(() -> ProductionSettingsCheck.check(environment)).doesNotThrowAnyException();
    assertThat(output)
        .contains("WARN")
        .contains(
            "SIGNET_VONAGE_SIGNATURE_SECRET is not set: the delivery-receipt webhook accepts"
                + " unsigned receipts from anyone");
  }

  @Test
  void outsideProductionASignatureSecretNeedsNoWarning(CapturedOutput output) {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("signet.sms.vonage-signature-secret", "sig");

    ProductionSettingsCheck.check(environment);

    assertThat(output).doesNotContain("SIGNET_VONAGE_SIGNATURE_SECRET");
  }

  private static MockEnvironment production() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("production");
    return environment;
  }

  @Test
  void theServiceRefusesToStartInProductionWithoutKafkaCredentialsOrOverPlaintext() {
    ProductionStart.assertRefusesKafkaWithoutCredentials(ProductionSettingsCheck::check);
  }
}
