package dev.signet.e2e.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario S1 through the running stack, then read back through audit-service's query API: the
 * per-challenge view joins the request (challenge-service), the dispatch (sms-dispatcher), the
 * delivery receipt (the sandbox's webhook through sms-dispatcher), the verification and the claim
 * in one document, built from the real topics.
 */
class AuditViewsIT {

  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  private Http.Reply post(String path, String json) {
    return http.post(stack.url("challenge") + path, Http.basic(stack.apiSecret()), json);
  }

  private Http.Reply audit(String path) {
    return http.get(stack.url("audit") + path, "Bearer " + stack.managementSecret());
  }

  @Test
  void perChallengeViewJoinsRequestDispatchDeliveryVerificationAndClaim() {
    String phone = Sandbox.freshPhoneNumber();
    String userId = "user-audit-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Reply requested =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(requested.status()).as(requested.raw().body()).isEqualTo(200);
    String challengeId = requested.body().path("challengeId").asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    Http.Reply wrong =
        post(
            "/v1/verify",
            "{\"challengeId\":\""
                + challengeId
                + "\",\"verificationCode\":\""
                + (code.equals("000000") ? "111111" : "000000")
                + "\"}");
    assertThat(wrong.body().path("isVerified").asBoolean()).isFalse();
    Http.Reply verified =
        post(
            "/v1/verify",
            "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).isTrue();
    Http.Reply claimed =
        post(
            "/v1/claim", "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"" + userId + "\"}");
    assertThat(claimed.status()).as(claimed.raw().body()).isEqualTo(200);

    AtomicReference<JsonNode> view = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              Http.Reply reply = audit("/v1/audit/challenges/" + challengeId);
              assertThat(reply.status()).isEqualTo(200);
              JsonNode c = reply.body();
              assertThat(c.path("state").asText()).isEqualTo("CLAIMED");
              assertThat(c.path("delivery").asText()).isEqualTo("DELIVERED");
              assertThat(c.path("requestedAt").isNull()).isFalse();
              view.set(c);
            });

    JsonNode c = view.get();
    assertThat(c.path("action").asText()).isEqualTo("signIn");
    assertThat(c.path("countryCode").asText()).isEqualTo("GB");
    assertThat(c.path("phoneNumberMasked").asText())
        .startsWith("+44")
        .endsWith(phone.substring(phone.length() - 4))
        .contains("*");
    Instant requestedAt = Instant.parse(c.path("requestedAt").asText());
    Instant sentAt = Instant.parse(c.path("firstSentAt").asText());
    Instant deliveredAt = Instant.parse(c.path("deliveredAt").asText());
    Instant verifiedAt = Instant.parse(c.path("verifiedAt").asText());
    Instant claimedAt = Instant.parse(c.path("claimedAt").asText());
    assertThat(requestedAt).isBeforeOrEqualTo(sentAt);
    assertThat(sentAt).isBeforeOrEqualTo(deliveredAt);
    assertThat(verifiedAt).isBeforeOrEqualTo(claimedAt);
    assertThat(c.path("failedVerifications").asInt()).isEqualTo(1);
    assertThat(c.path("timeToDeliveryMillis").asLong()).isPositive();

    JsonNode attempt = c.path("attempts").get(0);
    assertThat(attempt.path("attempt").asInt()).isEqualTo(1);
    assertThat(attempt.path("dispatchedAt").isNull()).isFalse();
    assertThat(attempt.path("deliveryStatus").asText()).isEqualTo("DELIVERED");
    assertThat(attempt.path("sendToDeliveryMillis").asLong()).isPositive();

    List<String> types = new ArrayList<>();
    c.path("steps").forEach(s -> types.add(s.path("type").asText()));
    assertThat(types)
        .startsWith("challenge.requested", "sms.dispatched")
        .contains(
            "sms.delivery-reported",
            "challenge.verification-failed",
            "challenge.verified",
            "challenge.claimed");
    assertThat(types.indexOf("challenge.verified")).isLessThan(types.indexOf("challenge.claimed"));

    // the raw number and the code appear nowhere in what the view returns
    String body = audit("/v1/audit/challenges/" + challengeId).raw().body();
    assertThat(body).doesNotContain(phone).doesNotContain(phone.substring(1));

    // found by phone in another notation, and on the claimed user's timeline
    String spaced = phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7);
    JsonNode byPhone =
        audit("/v1/audit/challenges?phone=" + URLEncoder.encode(spaced, StandardCharsets.UTF_8))
            .body();
    List<String> byPhoneIds = new ArrayList<>();
    byPhone.path("items").forEach(i -> byPhoneIds.add(i.path("challengeId").asText()));
    assertThat(byPhoneIds).contains(challengeId);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode timeline =
                  audit("/v1/audit/users/" + userId + "/timeline?type=challenge.claimed").body();
              assertThat(timeline.path("items")).hasSize(1);
            });

    // lag is reported for every consumed topic
    JsonNode lag = audit("/v1/audit/lag").body();
    assertThat(lag.path("topics").size()).isGreaterThanOrEqualTo(17);
    assertThat(audit("/v1/audit/activities?limit=abc").status()).isEqualTo(400);
    assertThat(http.get(stack.url("audit") + "/v1/audit/activities", null).status()).isEqualTo(401);
  }
}
