package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.sms.SmsDispatched;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The configured test number ({@code SIGNET_TEST_NUMBERS=+447700900000:000000}, which {@link
 * RunningStack} gives the stack explicitly): challenge-service issues the fixed code and never
 * applies the per-number limits (6 sends per 10 minutes), the dispatcher never calls the provider
 * and hands the message to the sandbox's test-traffic inbox, and both events say test traffic.
 */
class FixedCodeNumberIT {

  static final String TEST_NUMBER = "+447700900000";
  private static RunningStack stack;
  private static RawKafka kafka;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    kafka = new RawKafka(stack);
  }

  @Test
  void theTestNumberGetsItsFixedCodeInTheInboxAsTestTrafficAndIsNeverLimited() {
    int before = new Sandbox(stack, http).messages(TEST_NUMBER).size();
    List<String> challengeIds = new ArrayList<>();
    // More than the 6 sends per number per 10 minutes an ordinary number is allowed.
    for (int i = 0; i < 8; i++) {
      Http.Reply reply =
          http.post(
              stack.url("challenge") + "/v1/challenge",
              Http.basic(stack.apiSecret()),
              "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                  + TEST_NUMBER
                  + "\"}");
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
      challengeIds.add(reply.body().path("challengeId").asText());
    }

    Sandbox sandbox = new Sandbox(stack, http);
    assertThat(sandbox.awaitCode(TEST_NUMBER, before + 8)).isEqualTo("000000");
    JsonNode messages = sandbox.messages(TEST_NUMBER);
    for (int i = 0; i < 8; i++) {
      assertThat(messages.get(i).path("testTraffic").asBoolean()).isTrue();
      assertThat(messages.get(i).path("api").asText()).isEqualTo("test");
    }
    Http.Reply verified =
        http.post(
            stack.url("challenge") + "/v1/verify",
            Http.basic(stack.apiSecret()),
            "{\"challengeId\":\"" + challengeIds.get(7) + "\",\"verificationCode\":\"000000\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).isTrue();

    String last = challengeIds.get(7);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kafka.read("auth.sms.dispatched.v1", last))
                    .singleElement()
                    .satisfies(
                        record -> {
                          SmsDispatched dispatched = (SmsDispatched) RawKafka.decode(stack, record);
                          assertThat(dispatched.getTestNumber()).isTrue();
                          assertThat(dispatched.getProvider()).isEqualTo("test");
                        }));
    assertThat(kafka.read("auth.challenge.requested.v1", last))
        .singleElement()
        .satisfies(
            record ->
                assertThat(((ChallengeRequested) RawKafka.decode(stack, record)).getTestNumber())
                    .isTrue());
  }
}
