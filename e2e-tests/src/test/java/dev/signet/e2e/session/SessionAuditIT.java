package dev.signet.e2e.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A session's life reaches the audit views: created, refreshed, reuse detected (critical) and
 * revoked show on the user's timeline, published through challenge-service's outbox and the real
 * broker, and none of them carries a token.
 */
class SessionAuditIT {

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
  void theLifeOfASessionShowsOnTheUsersTimeline() {
    String phone = Sandbox.freshPhoneNumber();
    String userId = "user-session-" + UUID.randomUUID().toString().substring(0, 8);
    String challengeId =
        post(
                "/v1/challenge",
                "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                    + phone
                    + "\"}")
            .body()
            .path("challengeId")
            .asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    post(
        "/v1/verify",
        "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
    String token =
        post("/v1/claim", "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"" + userId + "\"}")
            .body()
            .path("token")
            .asText();

    Http.Reply created =
        post("/v1/sessions", "{\"token\":\"" + token + "\",\"clientId\":\"web-app\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
    String refresh0 = created.body().path("refreshToken").asText();
    Http.Reply refreshed = post("/v1/sessions/refresh", "{\"refreshToken\":\"" + refresh0 + "\"}");
    assertThat(refreshed.status()).as(refreshed.raw().body()).isEqualTo(200);
    Http.Reply reused = post("/v1/sessions/refresh", "{\"refreshToken\":\"" + refresh0 + "\"}");
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.body().path("error").asText()).isEqualTo("invalid_token");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode timeline = audit("/v1/audit/users/" + userId + "/timeline").body();
              List<String> types = new ArrayList<>();
              timeline.path("items").forEach(i -> types.add(i.path("type").asText()));
              assertThat(types)
                  .contains(
                      "session.created",
                      "session.refreshed",
                      "session.reuse-detected",
                      "session.revoked");
            });
    String timeline = audit("/v1/audit/users/" + userId + "/timeline").raw().body();
    assertThat(timeline)
        .doesNotContain(token)
        .doesNotContain(refresh0)
        .doesNotContain(created.body().path("accessToken").asText())
        .doesNotContain(refreshed.body().path("refreshToken").asText())
        .contains("CRITICAL")
        .contains("REFRESH_TOKEN_REUSED");
  }
}
