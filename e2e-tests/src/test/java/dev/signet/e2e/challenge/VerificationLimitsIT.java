package dev.signet.e2e.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.DashboardSession;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.testsupport.ApiBodies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The verification limits of docs/limits.md as an attacker meets them through the running stack:
 * what a third party may charge to someone else's number, how many codes one burst may have
 * compared, and what a claim may bind.
 */
class VerificationLimitsIT {

  private static RunningStack stack;
  private static ExecutorService pool;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    pool = Executors.newFixedThreadPool(50);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void aThirdPartyCannotLockAVictimOut() {
    Sandbox sandbox = new Sandbox(stack, http);
    String victim = Sandbox.freshPhoneNumber();
    // The victim signs in once: that challenge id is now dead (used), and kept for a day.
    String used = challenge(victim, null, null);
    String firstCode = sandbox.awaitCode(victim, 1);
    assertThat(verify(used, firstCode).body().path("isVerified").asBoolean()).isTrue();

    // The attacker replays wrong codes against the dead id, far past every per-phone limit.
    for (int i = 0; i < 30; i++) {
      Http.Reply wrong = verify(used, wrong(firstCode));
      assertThat(wrong.status()).as(wrong.raw().body()).isEqualTo(200);
      assertThat(wrong.body().path("failureReason").asText()).isEqualTo("CODE_INVALID_OR_EXPIRED");
    }

    // And enrols the victim's number through a track token of the attacker's own user, typing
    // wrong codes until two enrolment challenges are dead.
    String attacker = "e2e-attacker-" + UUID.randomUUID();
    Http.Reply tracked = server("/v1/users/" + attacker + "/actions/e2eEnrol", "{}");
    assertThat(tracked.status()).as(tracked.raw().body()).isEqualTo(200);
    String token = tracked.body().path("token").asText();
    int sent = 1;
    for (int round = 0; round < 2; round++) {
      Http.Reply enrolled = client(token, "/v1/client/user-authenticators/sms", phoneJson(victim));
      assertThat(enrolled.status()).as(enrolled.raw().body()).isEqualTo(200);
      sent++;
      String enrolmentCode = sandbox.awaitCode(victim, sent);
      for (int i = 0; i < 5; i++) {
        Http.Reply wrong =
            client(
                token,
                "/v1/client/verify/sms",
                "{\"verificationCode\":\"" + wrong(enrolmentCode) + "\"}");
        assertThat(wrong.status()).as(wrong.raw().body()).isEqualTo(200);
        assertThat(wrong.body().path("isVerified").asBoolean()).isFalse();
      }
    }

    // The victim's next sign-in: the right code is accepted.
    String fresh = challenge(victim, null, null);
    String code = sandbox.awaitCode(victim, sent + 1);
    Http.Reply verified = verify(fresh, code);
    assertThat(verified.status()).as(verified.raw().body()).isEqualTo(200);
    assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw().body()).isTrue();
  }

  @Test
  void fiftyParallelWrongCodesGetExactlyFiveComparisons() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone, null, null);
    String code = new Sandbox(stack, http).awaitCode(phone, 1);

    List<Future<Http.Reply>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(pool.submit(() -> verify(challengeId, wrong(code))));
    }
    List<String> reasons = new ArrayList<>();
    for (Future<Http.Reply> future : futures) {
      Http.Reply reply = future.get();
      // No per-phone limit answers: a dead challenge costs the phone nothing.
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
      assertThat(reply.body().path("isVerified").asBoolean()).isFalse();
      reasons.add(reply.body().path("failureReason").asText());
    }

    assertThat(reasons).contains("MAX_ATTEMPTS_EXCEEDED");
    VerificationEvents events = new VerificationEvents(stack);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> events.failures(List.of(challengeId)) >= 5);
    Awaitility.await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> events.failures(List.of(challengeId)) == 5);
    // The challenge is dead: the right code no longer verifies.
    Http.Reply right = verify(challengeId, code);
    assertThat(right.body().path("isVerified").asBoolean()).isFalse();
    assertThat(right.body().path("failureReason").asText()).isEqualTo("MAX_ATTEMPTS_EXCEEDED");
  }

  @Test
  void theRightCodeAfterFourWrongStillVerifies() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone, null, null);
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    for (int i = 0; i < 4; i++) {
      assertThat(verify(challengeId, wrong(code)).body().path("failureReason").asText())
          .isEqualTo("CODE_INVALID_OR_EXPIRED");
    }

    assertThat(verify(challengeId, code).body().path("isVerified").asBoolean()).isTrue();
  }

  @Test
  void aLockedUserIsOpenedByAnOperatorResetInTheDashboard() {
    Sandbox sandbox = new Sandbox(stack, http);
    String userId = "e2e-locked-" + UUID.randomUUID();
    // Ten wrong codes in a row over two sign-ins of one number: the user's first lock step.
    String typo = Sandbox.freshPhoneNumber();
    for (int round = 1; round <= 2; round++) {
      String challengeId = challenge(typo, userId, null);
      String code = sandbox.awaitCode(typo, round);
      for (int i = 0; i < 5; i++) {
        Http.Reply wrong = verify(challengeId, wrong(code));
        assertThat(wrong.status()).as(wrong.raw().body()).isEqualTo(200);
        assertThat(wrong.body().path("isVerified").asBoolean()).isFalse();
      }
    }
    // The user, now on another number, is refused before any comparison while locked.
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone, userId, null);
    String code = sandbox.awaitCode(phone, 1);
    Http.Reply locked = verify(challengeId, code);
    assertThat(locked.status()).as(locked.raw().body()).isEqualTo(429);
    assertThat(locked.body().path("error").asText()).isEqualTo("too_many_requests");

    DashboardSession operator = DashboardSession.signIn(stack);
    Http.Reply reset =
        operator.post(
            "/dashboard/api/verification-locks/reset",
            "{\"userId\":\"" + userId + "\",\"reason\":\"owner called support\"}");

    assertThat(reset.status()).as(reset.raw().body()).isEqualTo(200);
    assertThat(reset.body().path("operator").asText()).isEqualTo(stack.dashboardOperator());
    JsonNode before = reset.body().path("accounts").path(0);
    assertThat(before.path("userId").asText()).isEqualTo(userId);
    assertThat(before.path("consecutiveFailures").asInt()).isEqualTo(10);
    assertThat(before.path("locked").asBoolean()).isTrue();
    // The same pending challenge, the right code: accepted now.
    Http.Reply verified = verify(challengeId, code);
    assertThat(verified.status()).as(verified.raw().body()).isEqualTo(200);
    assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw().body()).isTrue();
    // The dashboard's history names the signed-in operator and the reason.
    Http.Reply history = operator.get("/dashboard/api/verification-locks/resets?limit=20");
    assertThat(history.status()).as(history.raw().body()).isEqualTo(200);
    List<JsonNode> ours = new ArrayList<>();
    history
        .body()
        .path("resets")
        .forEach(
            r -> {
              if (r.path("resetId").asText().equals(reset.body().path("resetId").asText())) {
                ours.add(r);
              }
            });
    assertThat(ours).as(history.raw().body()).hasSize(1);
    assertThat(ours.get(0).path("operator").asText()).isEqualTo(stack.dashboardOperator());
    assertThat(ours.get(0).path("reason").asText()).isEqualTo("owner called support");
  }

  @Test
  void aClaimForAnotherUserIsRefused() {
    String phone = Sandbox.freshPhoneNumber();
    String owner = "e2e-owner-" + UUID.randomUUID();
    String challengeId = challenge(phone, owner, null);
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    assertThat(verify(challengeId, code).body().path("isVerified").asBoolean()).isTrue();

    Http.Reply stolen = claim(challengeId, "e2e-thief-" + UUID.randomUUID());

    assertThat(stolen.status()).as(stolen.raw().body()).isEqualTo(400);
    assertThat(stolen.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(stolen.body().path("errorDescription").asText()).contains("userId");
    assertThat(stolen.body().has("token")).isFalse();
    // The refusal did not use the challenge up: its own user still claims it.
    Http.Reply own = claim(challengeId, owner);
    assertThat(own.status()).as(own.raw().body()).isEqualTo(200);
    Http.Reply validated = server("/v1/validate", tokenJson(own.body().path("token").asText()));
    assertThat(validated.body().path("userId").asText()).isEqualTo(owner);
  }

  @Test
  void aClaimNeverTurnsABlockedOrReviewedActionIntoASuccess() {
    String action = "e2eClaim" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    rule(
        action,
        "{\"name\":\"Bad network\",\"priority\":10,\"outcome\":\"BLOCK\","
            + "\"condition\":{\"type\":\"ipAddress\",\"in\":[\"198.51.100.0/24\"]}}");
    rule(
        action,
        "{\"name\":\"Big transfer\",\"priority\":20,\"outcome\":\"REVIEW\","
            + "\"condition\":{\"type\":\"custom\",\"key\":\"amount\",\"operator\":\"gt\","
            + "\"value\":1000}}");
    String userId = "e2e-claimer-" + UUID.randomUUID();
    Http.Reply blocked =
        server("/v1/users/" + userId + "/actions/" + action, "{\"ipAddress\":\"198.51.100.9\"}");
    assertThat(blocked.body().path("state").asText()).as(blocked.raw().body()).isEqualTo("BLOCK");
    Http.Reply review =
        server("/v1/users/" + userId + "/actions/" + action, "{\"custom\":{\"amount\":2500}}");
    assertThat(review.body().path("state").asText())
        .as(review.raw().body())
        .isEqualTo("REVIEW_REQUIRED");

    for (Http.Reply tracked : List.of(blocked, review)) {
      String key = tracked.body().path("idempotencyKey").asText();
      String state = tracked.body().path("state").asText();
      String phone = Sandbox.freshPhoneNumber();
      // A sign-in challenge of the same user, action and idempotency key, verified for real.
      String challengeId = challenge(phone, userId, action, key);
      String code = new Sandbox(stack, http).awaitCode(phone, 1);
      assertThat(verify(challengeId, code).body().path("isVerified").asBoolean()).isTrue();

      Http.Reply claimed = claim(challengeId, userId);

      assertThat(claimed.status()).as(claimed.raw().body()).isEqualTo(400);
      assertThat(claimed.body().path("error").asText()).isEqualTo("invalid_request");
      assertThat(claimed.body().has("token")).isFalse();
      Http.Reply after =
          http.get(
              stack.url("challenge") + "/v1/users/" + userId + "/actions/" + action + "/" + key,
              Http.basic(stack.apiSecret()));
      assertThat(after.body().path("state").asText()).as(after.raw().body()).isEqualTo(state);
      Http.Reply validated =
          server("/v1/validate", tokenJson(tracked.body().path("token").asText()));
      assertThat(validated.body().path("isValid").asBoolean()).isFalse();
    }
  }

  private String challenge(String phone, String userId, String idempotencyKey) {
    return challenge(phone, userId, "signIn", idempotencyKey);
  }

  private String challenge(String phone, String userId, String action, String idempotencyKey) {
    String json = ApiBodies.smsChallenge(action, phone, userId, idempotencyKey);
    Http.Reply reply = server("/v1/challenge", json);
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().path("challengeId").asText();
  }

  private Http.Reply verify(String challengeId, String code) {
    return server("/v1/verify", ApiBodies.verify(challengeId, code));
  }

  private Http.Reply claim(String challengeId, String userId) {
    return server(
        "/v1/claim", "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"" + userId + "\"}");
  }

  private void rule(String action, String json) {
    Http.Reply created =
        http.post(
            stack.url("rules") + "/v1/management/actions/" + action + "/rules",
            "Bearer " + stack.managementSecret(),
            json);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
  }

  private Http.Reply server(String path, String json) {
    return http.post(stack.url("challenge") + path, Http.basic(stack.apiSecret()), json);
  }

  private Http.Reply client(String token, String path, String json) {
    return http.post(stack.url("challenge") + path, "Bearer " + token, json);
  }

  private static String phoneJson(String phone) {
    return "{\"phoneNumber\":\"" + phone + "\"}";
  }

  private static String tokenJson(String token) {
    return "{\"token\":\"" + token + "\"}";
  }

  static String wrong(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }
}
