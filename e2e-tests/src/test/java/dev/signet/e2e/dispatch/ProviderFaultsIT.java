package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.e2e.stack.SmsStore;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider faults armed in the real sandbox ({@code POST /faults}) against the running dispatcher:
 * throttling, server errors and timeouts are retried until the SMS is accepted once; a rejection
 * fails at once with a dispatch-failed event and no SMS. Every challenge ends sent once or failed
 * with a reason.
 */
class ProviderFaultsIT {

  private static final String FAILED = "auth.sms.dispatch-failed.v1";
  private static final String DISPATCHED = "auth.sms.dispatched.v1";
  private static RunningStack stack;
  private static RawKafka kafka;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    kafka = new RawKafka(stack);
  }

  @AfterEach
  void clearFaults() {
    arm("{\"mode\":\"ok\"}");
  }

  @Test
  void throttlingIsRetriedUntilTheSmsIsAcceptedOnce() {
    assertRetriedToOneSms("{\"mode\":\"throttle\",\"count\":2}", 3);
  }

  @Test
  void serverErrorsAreRetriedUntilTheSmsIsAcceptedOnce() {
    assertRetriedToOneSms("{\"mode\":\"error\",\"count\":1}", 2);
  }

  @Test
  void aTimeoutIsNotRetriedOnItsRouteAndTheFallbackSendsTheCodeOnceAfterTheWindow() {
    // The provider may have accepted a call that timed out: calling again could deliver two
    // messages. The attempt's outcome stays unknown until a receipt, else the fallback window.
    arm("{\"mode\":\"timeout\",\"count\":1}");
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(kafka.read(FAILED, challengeId)).hasSize(1));
    assertThat(attempt(challengeId).getString("failureReason")).isEqualTo("TIMEOUT");
    assertThat(attempt(challengeId).getInteger("providerAttempts")).isEqualTo(1);

    // The sandbox's timeout fault took nothing, so no receipt comes: after the window (30 s by
    // default) the same code is sent once more.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(kafka.read(DISPATCHED, challengeId)).hasSize(1));
    Document attempt = attempt(challengeId);
    assertThat(attempt.getString("state")).isEqualTo("SENT");
    assertThat(attempt.getInteger("fallbacks")).isEqualTo(1);
    assertThat(new Sandbox(stack, http).messages(phone)).hasSize(1);
  }

  @Test
  void aRejectionFailsAtOnceWithoutAnSms() {
    arm("{\"mode\":\"reject\",\"count\":1}");
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(kafka.read(FAILED, challengeId)).hasSize(1));
    Document attempt = attempt(challengeId);
    assertThat(attempt.getString("state")).isEqualTo("FAILED");
    assertThat(attempt.getString("failureReason")).isEqualTo("REJECTED");
    assertThat(attempt.getInteger("providerAttempts")).isEqualTo(1);
    assertThat(new Sandbox(stack, http).messages(phone)).isEmpty();
    assertThat(kafka.read(DISPATCHED, challengeId)).isEmpty();
  }

  private void assertRetriedToOneSms(String fault, int expectedCalls) {
    arm(fault);
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);

    new Sandbox(stack, http).awaitCode(phone, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(kafka.read(DISPATCHED, challengeId)).hasSize(1));
    Document attempt = attempt(challengeId);
    assertThat(attempt.getString("state")).isEqualTo("SENT");
    assertThat(attempt.getInteger("providerAttempts")).isEqualTo(expectedCalls);
    assertThat(new Sandbox(stack, http).messages(phone)).hasSize(1);
    assertThat(kafka.read(FAILED, challengeId)).isEmpty();
  }

  private void arm(String fault) {
    Http.Reply reply = http.post(stack.url("sandbox") + "/faults", null, fault);
    assertThat(reply.status()).isBetween(200, 299);
  }

  private Document attempt(String challengeId) {
    List<Document> found =
        new SmsStore(stack, http).find("sms_attempts", Filters.eq("_id", challengeId + ":1"));
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private String challenge(String phone) {
    return new SmsStore(stack, http).challenge(phone);
  }
}
