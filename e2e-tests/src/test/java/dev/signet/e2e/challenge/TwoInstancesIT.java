package dev.signet.e2e.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.ExtraServiceInstance;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits and single use hold across instances: two challenge-service processes on one MongoDB and
 * Kafka, requests spread over both as a load balancer would.
 */
class TwoInstancesIT {

  private static RunningStack stack;
  private static ExtraServiceInstance second;
  private static ExecutorService pool;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    second = ExtraServiceInstance.challengeService(stack);
    pool = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  private String instance(int i) {
    return i % 2 == 0 ? stack.url("challenge") : second.url();
  }

  private Http.Reply post(int instance, String path, String json) {
    return http.post(instance(instance) + path, Http.basic(stack.apiSecret()), json);
  }

  private static String challengeBody(String phone) {
    return "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
        + phone
        + "\"}";
  }

  private static String verifyBody(String challengeId, String code) {
    return "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}";
  }

  private List<Http.Reply> acrossInstances(int n, java.util.function.IntFunction<Http.Reply> call)
      throws Exception {
    List<Future<Http.Reply>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      futures.add(pool.submit(() -> call.apply(index)));
    }
    List<Http.Reply> replies = new ArrayList<>();
    for (Future<Http.Reply> future : futures) {
      replies.add(future.get());
    }
    return replies;
  }

  @Test
  void aChallengeIssuedOnOneInstanceVerifiesOnTheOther() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId =
        post(0, "/v1/challenge", challengeBody(phone)).body().path("challengeId").asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);

    Http.Reply verified = post(1, "/v1/verify", verifyBody(challengeId, code));

    assertThat(verified.body().path("isVerified").asBoolean()).isTrue();
  }

  @Test
  void parallelCorrectCodesOnBothInstancesVerifyExactlyOnce() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId =
        post(0, "/v1/challenge", challengeBody(phone)).body().path("challengeId").asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);

    List<Http.Reply> replies =
        acrossInstances(10, i -> post(i, "/v1/verify", verifyBody(challengeId, code)));

    assertThat(replies).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(replies.stream().filter(r -> r.body().path("isVerified").asBoolean())).hasSize(1);
  }

  @Test
  void parallelWrongCodesOnBothInstancesNeverPassTheAttemptCap() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId =
        post(0, "/v1/challenge", challengeBody(phone)).body().path("challengeId").asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    String wrong = code.equals("000000") ? "111111" : "000000";

    List<Http.Reply> replies =
        acrossInstances(8, i -> post(i, "/v1/verify", verifyBody(challengeId, wrong)));
    assertThat(replies)
        .allSatisfy(r -> assertThat(r.body().path("isVerified").asBoolean()).isFalse());

    Http.Reply right = post(1, "/v1/verify", verifyBody(challengeId, code));
    assertThat(right.body().path("failureReason").asText()).isEqualTo("MAX_ATTEMPTS_EXCEEDED");
  }

  @Test
  void theSendLimitPerPhoneIsSharedByBothInstances() throws Exception {
    String phone = Sandbox.freshPhoneNumber();

    List<Http.Reply> replies =
        acrossInstances(9, i -> post(i, "/v1/challenge", challengeBody(phone)));

    assertThat(replies.stream().filter(r -> r.status() == 200)).hasSize(6);
    assertThat(replies.stream().filter(r -> r.status() == 429)).hasSize(3);
  }

  @Test
  void anIdempotencyKeyRetriedOnBothInstancesSendsOneSms() throws Exception {
    String phone = Sandbox.freshPhoneNumber();
    String body =
        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
            + phone
            + "\",\"idempotencyKey\":\"two-"
            + phone.substring(1)
            + "\"}";

    List<Http.Reply> replies = acrossInstances(6, i -> post(i, "/v1/challenge", body));

    assertThat(replies).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(replies.stream().map(r -> r.body().path("challengeId").asText()).distinct())
        .hasSize(1);
    Sandbox sandbox = new Sandbox(stack, http);
    sandbox.awaitCode(phone, 1);
    assertThat(sandbox.messages(phone)).hasSize(1);
  }
}
