package dev.signet.e2e.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario S2 on the running stack, server side: rules created through rules-service's management
 * API decide tracked actions over Kafka; a challenge-required action is completed through the
 * client API (plain HTTP here; the browser SDK drives it in the browser tests) and validated; a
 * review is resolved with PATCH; BLOCK stays final.
 */
class AdaptiveMfaIT {

  private static RunningStack stack;
  private static ActionCalls calls;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    calls = new ActionCalls(stack, new Http());
    calls.awaitDecisionsInTime();
  }

  @Test
  void rulesDecideAndTheLifecycleHolds() {
    String action = ActionCalls.uniqueAction("e2eS2");
    String blockRule =
        calls.rule(
            action,
            "{\"name\":\"Bad network\",\"priority\":10,\"outcome\":\"BLOCK\","
                + "\"condition\":{\"type\":\"ipAddress\",\"in\":[\"198.51.100.0/24\"]}}");
    String reviewRule =
        calls.rule(
            action,
            "{\"name\":\"Big transfer\",\"description\":\"Review large amounts\",\"priority\":20,"
                + "\"outcome\":\"REVIEW\",\"condition\":{\"type\":\"custom\",\"key\":\"amount\","
                + "\"operator\":\"gt\",\"value\":1000}}");
    String userId = ActionCalls.uniqueUser("e2e-s2");
    String phone = calls.enrol(userId);
    Instant start = Instant.now().minusSeconds(1);

    // Default outcome for an enrolled user: challenge; completed through the client API.
    Http.Reply challenged =
        calls.track(
            userId,
            action,
            "{\"ipAddress\":\"203.0.113.5\",\"userAgent\":\"e2e\",\"deviceId\":\"d-1\","
                + "\"custom\":{\"amount\":10}}");
    assertThat(challenged.status()).as(challenged.raw().body()).isEqualTo(200);
    assertThat(challenged.body().path("state").asText()).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(challenged.body().path("isEnrolled").asBoolean()).isTrue();
    assertThat(challenged.body().path("ruleIds").size()).isZero();
    String token = challenged.body().path("token").asText();
    String key = challenged.body().path("idempotencyKey").asText();
    // The track token is the browser's credential, never a proof: validate refuses its kind.
    Http.Reply before = calls.validate(token);
    assertThat(before.body().path("isValid").asBoolean()).isFalse();
    assertThat(before.body().has("state")).isFalse();

    Http.Reply sent =
        http.post(stack.url("challenge") + "/v1/client/challenge/sms", "Bearer " + token, "{}");
    assertThat(sent.status()).as(sent.raw().body()).isEqualTo(200);
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    Http.Reply verified =
        http.post(
            stack.url("challenge") + "/v1/client/verify/sms",
            "Bearer " + token,
            "{\"verificationCode\":\"" + code + "\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw().body()).isTrue();
    // The verify's accessToken is the success token the back end validates.
    assertThat(calls.validate(token).body().path("isValid").asBoolean()).isFalse();
    Http.Reply after = calls.validate(verified.body().path("accessToken").asText());
    assertThat(after.body().path("isValid").asBoolean()).isTrue();
    assertThat(after.body().path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");
    assertThat(after.body().path("actionCode").asText()).isEqualTo(action);
    assertThat(after.body().path("action").asText()).isEqualTo(action);
    assertThat(after.body().path("userId").asText()).isEqualTo(userId);
    assertThat(after.body().path("idempotencyKey").asText()).isEqualTo(key);
    assertThat(after.body().path("verificationMethod").asText()).isEqualTo("SMS");
    assertThat(calls.get(userId, action, key).body().path("state").asText())
        .isEqualTo("CHALLENGE_SUCCEEDED");

    // A rule asks for review; PATCH resolves it (a retried PATCH changes nothing).
    Http.Reply review = calls.track(userId, action, "{\"custom\":{\"amount\":2500}}");
    assertThat(review.body().path("state").asText()).isEqualTo("REVIEW_REQUIRED");
    assertThat(review.body().path("ruleIds").toString()).isEqualTo("[\"" + reviewRule + "\"]");
    String reviewKey = review.body().path("idempotencyKey").asText();
    JsonNode rules = calls.get(userId, action, reviewKey).body().path("rules");
    assertThat(rules.path(0).path("ruleId").asText()).isEqualTo(reviewRule);
    assertThat(rules.path(0).path("name").asText()).isEqualTo("Big transfer");
    assertThat(rules.path(0).path("description").asText()).isEqualTo("Review large amounts");
    Http.Reply approved = calls.patch(userId, action, reviewKey, "REVIEW_SUCCEEDED");
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.body().path("state").asText()).isEqualTo("REVIEW_SUCCEEDED");
    Http.Reply retried = calls.patch(userId, action, reviewKey, "REVIEW_SUCCEEDED");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.body().path("output").path("decision").asText()).isEqualTo("REVIEW");
    Http.Reply reviewValidated = calls.validate(review.body().path("token").asText());
    assertThat(reviewValidated.body().path("isValid").asBoolean()).isFalse();

    // BLOCK: nothing but the server API's secret (a state set by hand) moves it; its token proves
    // nothing.
    Http.Reply blocked = calls.track(userId, action, "{\"ipAddress\":\"198.51.100.9\"}");
    assertThat(blocked.body().path("state").asText()).isEqualTo("BLOCK");
    assertThat(blocked.body().path("ruleIds").toString()).isEqualTo("[\"" + blockRule + "\"]");
    String blockKey = blocked.body().path("idempotencyKey").asText();
    JsonNode output = calls.get(userId, action, blockKey).body().path("output");
    assertThat(output.path("state").asText()).isEqualTo("BLOCK");
    assertThat(output.path("decision").asText()).isEqualTo("BLOCK");
    assertThat(output.path("ruleIds").toString()).isEqualTo("[\"" + blockRule + "\"]");
    Http.Reply blockValidated = calls.validate(blocked.body().path("token").asText());
    assertThat(blockValidated.body().path("isValid").asBoolean()).isFalse();
    assertThat(calls.get(userId, action, blockKey).body().path("state").asText())
        .isEqualTo("BLOCK");

    // The user's actions, newest first, filtered.
    Http.Reply all =
        http.get(
            stack.url("challenge") + "/v1/users/" + userId + "/actions?fromDate=" + start,
            calls.auth());
    assertThat(all.body().size()).isEqualTo(3);
    assertThat(all.body().path(0).path("state").asText()).isEqualTo("BLOCK");
    assertThat(all.body().path(2).path("ipAddress").asText()).isEqualTo("203.0.113.5");
    Http.Reply reviewed =
        http.get(
            stack.url("challenge") + "/v1/users/" + userId + "/actions?state=REVIEW_SUCCEEDED",
            calls.auth());
    assertThat(reviewed.body().size()).isEqualTo(1);
    assertThat(reviewed.body().path(0).path("idempotencyKey").asText()).isEqualTo(reviewKey);
  }

  @Test
  void aUserWithoutAnAuthenticatorIsAllowedAndCreated() {
    String action = ActionCalls.uniqueAction("e2eNew");
    String userId = ActionCalls.uniqueUser("e2e-new");

    Http.Reply tracked = calls.track(userId, action, "{\"email\":\"new@example.com\"}");

    assertThat(tracked.status()).isEqualTo(200);
    assertThat(tracked.body().path("state").asText()).isEqualTo("ALLOW");
    assertThat(tracked.body().path("isEnrolled").asBoolean()).isFalse();
    assertThat(tracked.body().path("ruleIds").size()).isZero();
    Http.Reply user = http.get(stack.url("challenge") + "/v1/users/" + userId, calls.auth());
    assertThat(user.body().path("email").asText()).isEqualTo("new@example.com");
  }
}
