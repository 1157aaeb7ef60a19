package dev.signet.challenge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.testsupport.ApiBodies;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The verification limits through the HTTP API against real MongoDB-wire and Kafka: what a wrong
 * code is charged to, how many codes a burst gets compared, the claim's binding, and the operators'
 * reset.
 */
class VerificationLimitsIT extends ClientItSupport {

  @Autowired ClientSessions sessions;
  @Autowired ReactiveMongoTemplate mongo;

  private String challenge(String phone, String userId, String action, String key) {
    Reply reply =
        server("POST", "/v1/challenge", ApiBodies.smsChallenge(action, phone, userId, key));
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.text("challengeId");
  }

  private String challenge(String phone) {
    return challenge(phone, null, "signIn", null);
  }

  private Reply verify(String challengeId, String code) {
    return server("POST", "/v1/verify", ApiBodies.verify(challengeId, code));
  }

  private Reply claim(String challengeId, String userId) {
    return server(
        "POST",
        "/v1/claim",
        "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"" + userId + "\"}");
  }

  private Reply management(String method, String path, String body, String secret) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + secret);
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return call(method, path, body, headers);
  }

  private static long failures(String challengeId) {
    return events()
        .of(
            Topics.CHALLENGE_VERIFICATION_FAILED.name(),
            challengeId,
            ChallengeVerificationFailed.class)
        .size();
  }

  private String sessionChallenge(String token) {
    TokenClaims claims = ((TokenVerification.Valid) tokens.verify(token)).claims();
    return sessions
        .find(
            dev.signet.challenge.action.ActionStore.id(
                claims.userId(), claims.actionCode(), claims.idempotencyKey()))
        .block()
        .orElseThrow()
        .challengeId();
  }

  @Test
  void fiftyParallelWrongCodesGetExactlyFiveComparisonsAndKillTheChallenge() throws Exception {
    String challengeId = challenge(newPhoneNumber());
    String code = codeOf(challengeId, 1);

    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Reply>> futures =
          IntStream.range(0, 50)
              .mapToObj(i -> pool.submit(() -> verify(challengeId, wrong(code))))
              .toList();
      for (Future<Reply> future : futures) {
        Reply reply = future.get();
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.body().get("isVerified").asBoolean()).isFalse();
      }
    } finally {
      pool.shutdownNow();
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> failures(challengeId) >= 5);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> failures(challengeId) == 5);
    List<ChallengeVerificationFailed> events =
        events()
            .of(
                Topics.CHALLENGE_VERIFICATION_FAILED.name(),
                challengeId,
                ChallengeVerificationFailed.class);
    assertThat(events)
        .extracting(ChallengeVerificationFailed::getFailedAttempts)
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    assertThat(events.stream().filter(ChallengeVerificationFailed::getTerminal)).hasSize(1);
    assertThat(verify(challengeId, code).text("failureReason")).isEqualTo("MAX_ATTEMPTS_EXCEEDED");
  }

  @Test
  void parallelCorrectCodesVerifyExactlyOnceAndTheRightCodeAfterFourWrongStillWins()
      throws Exception {
    String challengeId = challenge(newPhoneNumber());
    String code = codeOf(challengeId, 1);
    for (int i = 0; i < 4; i++) {
      assertThat(verify(challengeId, wrong(code)).text("failureReason"))
          .isEqualTo("CODE_INVALID_OR_EXPIRED");
    }
    assertThat(verify(challengeId, code).body().get("isVerified").asBoolean()).isTrue();

    String other = challenge(newPhoneNumber());
    String otherCode = codeOf(other, 1);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Reply>> futures =
          IntStream.range(0, 20)
              .mapToObj(i -> pool.submit(() -> verify(other, otherCode)))
              .toList();
      long verified = 0;
      for (Future<Reply> future : futures) {
        Reply reply = future.get();
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        verified += reply.body().get("isVerified").asBoolean() ? 1 : 0;
      }
      assertThat(verified).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrongCodesAgainstADeadChallengeCostThePhoneNothing() {
    String phone = newPhoneNumber();
    String used = challenge(phone);
    String code = codeOf(used, 1);
    assertThat(verify(used, code).body().get("isVerified").asBoolean()).isTrue();

    for (int i = 0; i < 40; i++) {
      Reply reply = verify(used, wrong(code));
      assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
      assertThat(reply.text("failureReason")).isEqualTo("CODE_INVALID_OR_EXPIRED");
      Reply unknown = verify("unknown-" + i, wrong(code));
      assertThat(unknown.status()).isEqualTo(200);
    }

    String fresh = challenge(phone);
    assertThat(verify(fresh, codeOf(fresh, 1)).body().get("isVerified").asBoolean()).isTrue();
    assertThat(failures(used)).isZero();
  }

  @Test
  void enrolmentFailuresAreChargedToTheTokensUserAndActionNotToTheNumberTyped() {
    String victim = newPhoneNumber();
    String attacker = newUserId();
    String token = actionToken(attacker, "enrol", "ALLOW", "");

    // Two enrolment challenges to the victim's number, ten wrong codes.
    for (int round = 0; round < 2; round++) {
      Reply enrol =
          client("/v1/client/user-authenticators/sms", token, ClientApiIT.phoneBody(victim));
      assertThat(enrol.status()).as(enrol.raw()).isEqualTo(200);
      String code = codeOf(sessionChallenge(token), 1);
      for (int i = 0; i < 5; i++) {
        Reply wrong = client("/v1/client/verify/sms", token, ClientApiIT.verifyBody(wrong(code)));
        assertThat(wrong.status()).as(wrong.raw()).isEqualTo(200);
      }
    }

    // The attacker's own account is locked now (ten in a row)...
    Reply locked =
        client("/v1/client/user-authenticators/sms", token, ClientApiIT.phoneBody(victim));
    assertThat(locked.status()).as(locked.raw()).isEqualTo(200);
    Reply refused = client("/v1/client/verify/sms", token, ClientApiIT.verifyBody("123456"));
    assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
    // ... and the victim's number is not: their sign-in goes through.
    String fresh = challenge(victim);
    assertThat(verify(fresh, codeOf(fresh, 1)).body().get("isVerified").asBoolean()).isTrue();
  }

  @Test
  void aUserLockedForGoodIsOpenedOnlyByAnOperatorResetWhichIsRecorded() {
    String userId = newUserId();
    String phone = newPhoneNumber();
    mongo
        .upsert(
            Query.query(Criteria.where("_id").is("user:" + userId)),
            new org.springframework.data.mongodb.core.query.Update().set("count", 100),
            "consecutiveFailures")
        .block();
    String challengeId = challenge(phone, userId, "signIn", null);
    String code = codeOf(challengeId, 1);

    Reply locked = verify(challengeId, code);
    assertThat(locked.status()).as(locked.raw()).isEqualTo(429);
    assertThat(locked.text("errorDescription")).contains("operator");
    assertThat(locked.header("Retry-After")).isNotBlank();

    String path = "/v1/management/verification-locks";
    // The API secret is a valid credential of the wrong kind here.
    assertThat(server("GET", path + "?userId=" + userId, null).status()).isEqualTo(403);
    Reply state = management("GET", path + "?userId=" + userId, null, MANAGEMENT_SECRET);
    assertThat(state.status()).as(state.raw()).isEqualTo(200);
    assertThat(state.body().at("/accounts/0/consecutiveFailures").asInt()).isEqualTo(100);
    assertThat(state.body().at("/accounts/0/lockedUntilOperatorReset").asBoolean()).isTrue();
    Reply anonymous =
        management("POST", path + "/reset", "{\"userId\":\"" + userId + "\"}", MANAGEMENT_SECRET);
    assertThat(anonymous.status()).as(anonymous.raw()).isEqualTo(400);
    assertThat(anonymous.text("errorDescription")).contains("operator");
    Reply nothing =
        management("POST", path + "/reset", "{\"operator\":\"ops\"}", MANAGEMENT_SECRET);
    assertThat(nothing.status()).isEqualTo(400);

    Reply reset =
        management(
            "POST",
            path + "/reset",
            "{\"userId\":\""
                + userId
                + "\",\"operator\":\"alice\",\"reason\":\"caller verified by phone\"}",
            MANAGEMENT_SECRET);

    assertThat(reset.status()).as(reset.raw()).isEqualTo(200);
    assertThat(reset.text("operator")).isEqualTo("alice");
    assertThat(reset.body().at("/accounts/0/consecutiveFailures").asInt()).isEqualTo(100);
    Document recorded =
        mongo.findById(reset.text("resetId"), Document.class, "verificationLockResets").block();
    assertThat(recorded.getString("operator")).isEqualTo("alice");
    assertThat(recorded.getString("reason")).isEqualTo("caller verified by phone");
    assertThat(verify(challengeId, code).body().get("isVerified").asBoolean()).isTrue();
  }

  @Test
  void aClaimForAnotherUserIsRefusedAndLeavesTheChallengeToItsUser() {
    String owner = newUserId();
    String challengeId = challenge(newPhoneNumber(), owner, "signIn", null);
    assertThat(verify(challengeId, codeOf(challengeId, 1)).body().get("isVerified").asBoolean())
        .isTrue();

    Reply stolen = claim(challengeId, newUserId());

    assertThat(stolen.status()).as(stolen.raw()).isEqualTo(400);
    assertThat(stolen.text("error")).isEqualTo("invalid_request");
    assertThat(stolen.text("errorDescription"))
        .isEqualTo("userId does not match the user the challenge was started for.");
    assertThat(claim(challengeId, owner).status()).isEqualTo(200);
  }

  @Test
  void aClaimNeverChangesAnExistingAction() {
    String userId = newUserId();
    for (String state : List.of("BLOCK", "REVIEW_REQUIRED")) {
      String key = "key-" + state + "-" + System.nanoTime();
      actionStore
          .recordClaimedChallenge(
              userId, "transfer", key, dev.signet.challenge.action.ActionState.valueOf(state), null)
          .block();
      String challengeId = challenge(newPhoneNumber(), userId, "transfer", key);
      assertThat(verify(challengeId, codeOf(challengeId, 1)).body().get("isVerified").asBoolean())
          .isTrue();

      Reply claimed = claim(challengeId, userId);

      assertThat(claimed.status()).as(claimed.raw()).isEqualTo(400);
      assertThat(claimed.text("errorDescription")).contains("already exists");
      assertThat(
              server("GET", "/v1/users/" + userId + "/actions/transfer/" + key, null).text("state"))
          .isEqualTo(state);
    }
  }
}
