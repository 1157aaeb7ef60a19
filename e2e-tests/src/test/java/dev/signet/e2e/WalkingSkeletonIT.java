package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The walking skeleton through the real stack: POST /v1/challenge on challenge-service, the
 * requested event on the real Kafka broker with the registry's schema ids, sms-dispatcher opening
 * the sealed code and sending through the real Vonage SDK, and the code arriving in the sandbox.
 */
class WalkingSkeletonIT {

  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void startStack() {
    stack = RunningStack.get();
  }

  @Test
  void everyComponentReportsHealthyAndExposesPrometheusMetricsToTheManagementSecretOnly() {
    String management = "Bearer " + stack.managementSecret();
    for (String service : new String[] {"challenge", "rules", "dispatcher", "audit"}) {
      Http.Reply readiness = http.get(stack.url(service) + "/actuator/health/readiness", null);
      assertThat(readiness.status()).as(service).isEqualTo(200);
      assertThat(readiness.body().path("status").asText()).as(service).isEqualTo("UP");
      assertThat(readiness.body().has("components"))
          .as(service + " public readiness shows the status alone")
          .isFalse();
      assertThat(http.get(stack.url(service) + "/actuator/health", null).status())
          .as(service + " health details without the management secret")
          .isEqualTo(401);
      assertThat(http.getText(stack.url(service) + "/actuator/prometheus", null).status())
          .as(service + " metrics without the management secret")
          .isEqualTo(401);

      Http.Reply health = http.get(stack.url(service) + "/actuator/health", management);
      assertThat(health.status()).as(service).isEqualTo(200);
      assertThat(health.body().path("status").asText()).as(service).isEqualTo("UP");
      assertThat(health.body().path("components").path("mongo").path("status").asText())
          .as(service + " mongo")
          .isEqualTo("UP");

      Http.Reply metrics = http.getText(stack.url(service) + "/actuator/prometheus", management);
      assertThat(metrics.status()).as(service).isEqualTo(200);
      assertThat(metrics.raw().body()).as(service).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void challengeRequestDeliversACodeToTheSandboxInbox() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    Instant requestedAt = Instant.now();

    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");

    assertThat(reply.status()).isEqualTo(200);
    String challengeId = reply.body().path("challengeId").asText();
    assertThat(challengeId).hasSizeGreaterThanOrEqualTo(22);
    assertThat(reply.body().path("idempotencyKey").asText()).isNotBlank();
    assertThat(reply.body().path("expiresAt").asLong())
        .isBetween(
            requestedAt.plusSeconds(590).getEpochSecond(),
            requestedAt.plusSeconds(610).getEpochSecond());

    String inbox =
        stack.url("sandbox") + "/inbox?to=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
    AtomicReference<JsonNode> message = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode messages = http.get(inbox, null).body().path("messages");
              if (messages.size() == 0) {
                return false;
              }
              message.set(messages.get(0));
              return true;
            });

    String text = message.get().path("text").asText();
    Matcher code = CODE.matcher(text);
    assertThat(code.find()).as("a 6-digit code in %s", text).isTrue();
    assertThat(text).contains("Signet").contains("10 minutes");

    // The code appears nowhere but in the message: not in any component's log.
    try (var logs = Files.list(stack.dataDir().resolve("logs"))) {
      for (var log : logs.toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(text);
      }
    }
  }

  @Test
  void serverApiRefusesAWrongSecretWithTheDocumentedBody() {
    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic("not-the-secret"),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\"+447700900001\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").asText()).isEqualTo("unauthorized");
    assertThat(reply.body().path("errorDescription").asText())
        .isEqualTo(
            "The request is unauthorized. Check that your API key and region base URL are"
                + " correctly configured.");
  }
}
