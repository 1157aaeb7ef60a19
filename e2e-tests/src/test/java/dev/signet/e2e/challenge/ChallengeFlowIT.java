package dev.signet.e2e.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario S1 and the challenge limits of docs/challenge-service.md through the running stack: the
 * code is read from the sandbox inbox like a phone would, everything else goes over the public API.
 */
class ChallengeFlowIT {

  private static RunningStack stack;
  private static ExecutorService pool;
  private final Http http = new Http();
  private Sandbox sandbox;

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    pool = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  private Sandbox sandbox() {
    if (sandbox == null) {
      sandbox = new Sandbox(stack, http);
    }
    return sandbox;
  }

  private Http.Reply post(String path, String json) {
    return http.post(stack.url("challenge") + path, Http.basic(stack.apiSecret()), json);
  }

  private String challenge(String phone) {
    Http.Reply reply =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().path("challengeId").asText();
  }

  private Http.Reply verify(String challengeId, String code) {
    return post(
        "/v1/verify",
        "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
  }

  private static String wrong(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  @Test
  void signInByPhoneVerifiesClaimsAndValidates() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    String code = sandbox().awaitCode(phone, 1);

    Http.Reply verified = verify(challengeId, code);
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.body().path("isVerified").asBoolean()).isTrue();
    assertThat(verified.body().path("phoneNumber").asText()).isEqualTo(phone);
    assertThat(verified.body().path("verificationMethod").asText()).isEqualTo("SMS");

    Http.Reply described =
        http.get(
            stack.url("challenge") + "/v1/challenges?challengeId=" + challengeId,
            Http.basic(stack.apiSecret()));
    assertThat(described.body().path("phoneNumber").asText()).isEqualTo(phone);
    assertThat(described.body().path("action").asText()).isEqualTo("signIn");

    Http.Reply claimed =
        post("/v1/claim", "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"user-s1\"}");
    assertThat(claimed.status()).as(claimed.raw().body()).isEqualTo(200);
    String token = claimed.body().path("token").asText();
    assertThat(token.split("\\.")).hasSize(3);

    Http.Reply replayed =
        post("/v1/claim", "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"user-s1\"}");
    assertThat(replayed.status()).isEqualTo(400);
    assertThat(replayed.body().path("error").asText()).isEqualTo("invalid_request");

    Http.Reply validated = post("/v1/validate", "{\"token\":\"" + token + "\"}");
    assertThat(validated.status()).as(validated.raw().body()).isEqualTo(200);
    assertThat(validated.body().path("isValid").asBoolean()).isTrue();
    assertThat(validated.body().path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");
    assertThat(validated.body().path("userId").asText()).isEqualTo("user-s1");
    assertThat(validated.body().path("actionCode").asText()).isEqualTo("signIn");
    assertThat(validated.body().path("action").asText()).isEqualTo("signIn");
  }

  @Test
  void aCodeVerifiesOnlyOnce() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    String code = sandbox().awaitCode(phone, 1);

    assertThat(verify(challengeId, code).body().path("isVerified").asBoolean()).isTrue();
    Http.Reply again = verify(challengeId, code);
    assertThat(again.body().path("isVerified").asBoolean()).isFalse();
    assertThat(again.body().path("failureReason").asText()).isEqualTo("CODE_INVALID_OR_EXPIRED");
    assertThat(again.body().has("phoneNumber")).isFalse();
  }

  @Test
  void claimingAnUnverifiedChallengeIsRefusedUnlessTheCheckIsSkipped() {
    String challengeId = challenge(Sandbox.freshPhoneNumber());

    Http.Reply refused =
        post("/v1/claim", "{\"challengeId\":\"" + challengeId + "\",\"userId\":\"u1\"}");
    assertThat(refused.status()).isEqualTo(400);

    Http.Reply skipped =
        post(
            "/v1/claim",
            "{\"challengeId\":\""
                + challengeId
                + "\",\"userId\":\"u1\",\"skipVerificationCheck\":true}");
    assertThat(skipped.status()).as(skipped.raw().body()).isEqualTo(200);
    Http.Reply validated =
        post("/v1/validate", "{\"token\":\"" + skipped.body().path("token").asText() + "\"}");
    assertThat(validated.body().path("isValid").asBoolean()).isFalse();
    assertThat(validated.body().path("state").asText()).isEqualTo("CHALLENGE_REQUIRED");
  }

  @Test
  void fiveWrongCodesKillTheChallenge() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    String code = sandbox().awaitCode(phone, 1);

    for (int i = 1; i <= 4; i++) {
      Http.Reply wrong = verify(challengeId, wrong(code));
      assertThat(wrong.status()).isEqualTo(200);
      assertThat(wrong.body().path("failureReason").asText()).isEqualTo("CODE_INVALID_OR_EXPIRED");
    }
    assertThat(verify(challengeId, wrong(code)).body().path("failureReason").asText())
        .isEqualTo("MAX_ATTEMPTS_EXCEEDED");
    Http.Reply right = verify(challengeId, code);
    assertThat(right.body().path("isVerified").asBoolean()).isFalse();
    assertThat(right.body().path("failureReason").asText()).isEqualTo("MAX_ATTEMPTS_EXCEEDED");
  }

  @Test
  void resendInsideTheCooldownIsRefusedWithRetryAfter() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);

    Http.Reply resend =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"challengeId\":\""
                + challengeId
                + "\"}");

    assertThat(resend.status()).isEqualTo(429);
    assertThat(resend.body().path("error").asText()).isEqualTo("too_many_requests");
    assertThat(resend.raw().headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeySendsOneSms() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String body =
        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
            + phone
            + "\",\"idempotencyKey\":\"idem-"
            + phone.substring(1)
            + "\"}";

    List<Future<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      replies.add(pool.submit(() -> post("/v1/challenge", body)));
    }
    List<String> ids = new ArrayList<>();
    for (Future<Http.Reply> reply : replies) {
      assertThat(reply.get().status()).isEqualTo(200);
      ids.add(reply.get().body().path("challengeId").asText());
    }

    assertThat(ids).containsOnly(ids.get(0));
    sandbox().awaitCode(phone, 1);
    assertThat(sandbox().messages(phone)).hasSize(1);
  }

  @Test
  void anIdempotencyKeyCannotBeReusedForAnotherNumber() {
    String first = Sandbox.freshPhoneNumber();
    String key = "idem-reuse-" + first.substring(1);
    Http.Reply created =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + first
                + "\",\"idempotencyKey\":\""
                + key
                + "\"}");
    assertThat(created.status()).isEqualTo(200);

    String other = Sandbox.freshPhoneNumber();
    Http.Reply reused =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + other
                + "\",\"idempotencyKey\":\""
                + key
                + "\"}");

    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(sandbox().messages(other)).isEmpty();
  }

  @Test
  void parallelCorrectCodesVerifyExactlyOnce() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    String code = sandbox().awaitCode(phone, 1);

    // Ten: the per-phone verification limit (10 per 5 minutes) would refuse more.
    List<Boolean> outcomes = runInParallel(10, () -> verify(challengeId, code));

    assertThat(outcomes.stream().filter(Boolean::booleanValue)).hasSize(1);
  }

  @Test
  void parallelWrongCodesNeverPassTheAttemptCap() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    String code = sandbox().awaitCode(phone, 1);

    // Eight wrong at once, then the right one: nine of the ten verifications per phone allowed.
    List<Boolean> outcomes = runInParallel(8, () -> verify(challengeId, wrong(code)));
    assertThat(outcomes).containsOnly(false);

    // The cap held at five: the right code can no longer verify.
    Http.Reply right = verify(challengeId, code);
    assertThat(right.body().path("isVerified").asBoolean()).isFalse();
    assertThat(right.body().path("failureReason").asText()).isEqualTo("MAX_ATTEMPTS_EXCEEDED");
  }

  @Test
  void theSeventhSendToOnePhoneInTenMinutesIsRefused() {
    String phone = Sandbox.freshPhoneNumber();
    for (int i = 0; i < 6; i++) {
      challenge(phone);
    }

    Http.Reply seventh =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");

    assertThat(seventh.status()).isEqualTo(429);
    assertThat(seventh.body().path("error").asText()).isEqualTo("too_many_requests");
    assertThat(Long.parseLong(seventh.raw().headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 600L);
  }

  private List<Boolean> runInParallel(int n, Callable<Http.Reply> call) throws Exception {
    List<Future<Http.Reply>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(pool.submit(call));
    }
    List<Boolean> verified = new ArrayList<>();
    for (Future<Http.Reply> future : futures) {
      Http.Reply reply = future.get();
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
      verified.add(reply.body().path("isVerified").asBoolean());
    }
    return verified;
  }
}
