package dev.signet.challenge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.challenge.token.TestKeys;
import dev.signet.events.Topics;
import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.testsupport.ApiBodies;
import dev.signet.testsupport.ServiceHttp;
import dev.signet.testsupport.ServiceHttp.Reply;
import dev.signet.testsupport.TestStack;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * challenge-service refusing codes to destinations the send policy rules out, with the policy
 * arriving on its compacted topic (three partitions, read without a consumer group) the way
 * rules-service publishes it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SendPolicyGateIT {

  static final String API_SECRET = "policy-gate-it-secret";

  static final String MANAGEMENT_SECRET = "policy-gate-it-management-secret";
  static final TestStack STACK = TestStack.start(3, Topics.SEND_POLICY.name());

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-policy-gate");
    registry.add("signet.challenge.api-secret", () -> API_SECRET);
    registry.add("signet.challenge.management-secret", () -> MANAGEMENT_SECRET);
    // The tests' numbers are in the drama range, accepted only when configured (opt in).
    registry.add("signet.challenge.fictional-number-prefixes", () -> "+4477009");
    registry.add("signet.challenge.code-hmac-key", SendPolicyGateIT::randomKey);
    registry.add("signet.challenge.seal-keys", () -> "k1:" + randomKey());
    registry.add("signet.challenge.seal-active-key-id", () -> "k1");
    registry.add("signet.challenge.token.signing-keys", () -> TestKeys.jwkSet(TestKeys.p256("t1")));
    registry.add("signet.challenge.token.active-key-id", () -> "t1");
    registry.add("signet.challenge.limits.resend-cooldown", () -> "1s");
  }

  @Test
  void challengesToDestinationsThePolicyRulesOutAreRefusedAtRequestTime() {
    // No policy yet: nothing is refused here (the dispatcher still guards).
    assertThat(challenge("+33612" + digits(6)).status()).isEqualTo(200);

    publish(policy(2, List.of("GB"), false, List.of(), List.of()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> challenge("+33612" + digits(6)).status() == 400);
    Reply france = challenge("+33612" + digits(6));
    assertThat(france.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(france.body().path("errorDescription").asText())
        .isEqualTo("SMS to this country (FR) is not allowed by the send policy.");
    assertThat(challenge(fictional("1")).status()).isEqualTo(200);

    // A challenge issued before its range is blocked cannot be resent into the block.
    String pumped = "+44770092";
    Reply before = challenge(pumped + digits(4));
    assertThat(before.status()).isEqualTo(200);

    // A lower version never replaces a higher one; a record that cannot be read is skipped.
    publish(policy(1, List.of("GB", "FR"), false, List.of(), List.of()));
    publishGarbage();
    Instant until = Instant.now().plusSeconds(600);
    publish(
        policy(
            3,
            List.of("GB", "DE"),
            false,
            List.of(new BlockedDestination(pumped, "prefix_velocity", until)),
            List.of(new BlockedDestination("DE", "conversion_low", Instant.EPOCH))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> challenge(pumped + digits(4)).status() == 429);
    Reply blocked = challenge(pumped + digits(4));
    assertThat(blocked.body().path("error").asText()).isEqualTo("too_many_requests");
    assertThat(blocked.body().path("errorDescription").asText())
        .isEqualTo(
            "SMS to this number range is temporarily blocked by the send policy; try again later.");
    long retryAfter =
        Long.parseLong(blocked.response().headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(500L, 600L);
    assertThat(challenge("+33612" + digits(6)).status()).isEqualTo(400);
    Reply germany = challenge("+49151" + digits(8));
    assertThat(germany.status()).isEqualTo(429);
    assertThat(germany.body().path("errorDescription").asText())
        .contains("this country (DE) is temporarily blocked");
    assertThat(germany.response().headers().firstValue("Retry-After")).contains("3600");
    assertThat(challenge(fictional("3")).status()).isEqualTo(200);

    String resend =
        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"challengeId\":\""
            + before.body().path("challengeId").asText()
            + "\"}";
    // Past the (1 s) resend cooldown, the resend meets the block.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call("/v1/challenge", resend)
                    .body()
                    .path("errorDescription")
                    .asText()
                    .contains("number range"));
    assertThat(call("/v1/challenge", resend).status()).isEqualTo(429);

    // Shadow mode: the same policy only reports.
    publish(
        policy(
            4,
            List.of("GB"),
            true,
            List.of(new BlockedDestination(pumped, "prefix_velocity", until)),
            List.of()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> challenge(pumped + digits(4)).status() == 200);
    assertThat(challenge("+33612" + digits(6)).status()).isEqualTo(200);
  }

  // ---- helpers --------------------------------------------------------------------------------

  static String fictional(String firstDigit) {
    return "+4477009" + firstDigit + digits(4);
  }

  static String digits(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(ThreadLocalRandom.current().nextInt(10));
    }
    return out.toString();
  }

  static SendPolicyUpdated policy(
      long version,
      List<String> countries,
      boolean shadow,
      List<BlockedDestination> prefixes,
      List<BlockedDestination> blockedCountries) {
    return SendPolicyUpdated.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setPolicyId("global")
        .setVersion(version)
        .setAllowedCountries(countries)
        .setShadowMode(shadow)
        .setBlockedPrefixes(prefixes)
        .setBlockedCountries(blockedCountries)
        .build();
  }

  static void publish(SendPolicyUpdated policy) {
    try (KafkaProducer<String, Object> producer = STACK.avroProducer()) {
      producer.send(new ProducerRecord<>(Topics.SEND_POLICY.name(), "global", policy));
    }
  }

  static void publishGarbage() {
    try (KafkaProducer<String, byte[]> producer = STACK.bytesProducer()) {
      producer.send(
          new ProducerRecord<>(
              Topics.SEND_POLICY.name(), "global", new byte[] {7, 0, 0, 0, 1, 2, 3}));
    }
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  Reply challenge(String phone) {
    return call("/v1/challenge", ApiBodies.smsChallenge("signIn", phone, null, null));
  }

  Reply call(String path, String body) {
    return ServiceHttp.call(
        port, "POST", path, ServiceHttp.basic(API_SECRET), "application/json", body);
  }
}
