package dev.signet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.twilio.security.RequestValidator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's Twilio Programmable Messaging API: basic auth with the account SID and auth token,
 * Twilio's answers and errors, faults scoped to Twilio and a country, and status callbacks signed
 * so that the Twilio SDK's {@code RequestValidator} accepts them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "signet.sandbox.twilio.account-sid=" + TwilioApiIT.SID,
      "signet.sandbox.twilio.auth-token=" + TwilioApiIT.TOKEN,
      "signet.sandbox.receipt.delay=50ms",
      "signet.sandbox.receipt.backoff=50ms"
    })
class TwilioApiIT {

  static final String SID = "AC00000000000000000000000000000001";
  static final String TOKEN = "sandbox-twilio-token";
  private static final ReceiptReceiver RECEIVER = start();

  @LocalServerPort int port;
  private WebTestClient web;

  private static ReceiptReceiver start() {
    try {
      return new ReceiptReceiver();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  @BeforeEach
  void reset() {
    web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    web.delete().uri("/inbox").exchange().expectStatus().isNoContent();
    web.post()
        .uri("/faults")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("mode", "ok"))
        .exchange()
        .expectStatus()
        .isOk();
    RECEIVER.reset();
  }

  @Test
  void anAcceptedMessageLandsInTheInboxAndGetsASignedStatusCallback() {
    String callback = RECEIVER.url("/webhooks/twilio/status?clientRef=ch_1%3A1");

    JsonNode message =
        send(SID, TOKEN, "+447700900123", "Your code is 123456", callback)
            .expectStatus()
            .isCreated()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();

    assertThat(message.path("sid").asString()).startsWith("SM").hasSize(34);
    assertThat(message.path("status").asString()).isEqualTo("queued");
    assertThat(message.path("num_segments").asString()).isEqualTo("1");
    JsonNode inbox =
        web.get()
            .uri("/inbox?to=447700900123")
            .exchange()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    assertThat(inbox.path("messages").get(0).path("api").asString()).isEqualTo("twilio");
    assertThat(inbox.path("messages").get(0).path("text").asString())
        .isEqualTo("Your code is 123456");
    // The sender's reference from its callback URL, as the Vonage inbox keeps client-ref.
    assertThat(inbox.path("messages").get(0).path("clientRef").asString()).isEqualTo("ch_1:1");
    await().atMost(Duration.ofSeconds(10)).until(() -> !RECEIVER.received().isEmpty());
    ReceiptReceiver.Received received = RECEIVER.received().get(0);
    Map<String, String> form = received.form();
    assertThat(form)
        .containsEntry("MessageSid", message.path("sid").asString())
        .containsEntry("MessageStatus", "delivered")
        .containsEntry("AccountSid", SID);
    String signature = received.twilioSignature();
    assertThat(new RequestValidator(TOKEN).validate(callback, form, signature)).isTrue();
    assertThat(new RequestValidator("another-token").validate(callback, form, signature)).isFalse();
  }

  @Test
  void badCredentialsAndBadParametersAreTwilioErrors() {
    assertError(send(SID, "wrong", "+447700900123", "hi", null), 401, 20003);
    assertError(send("ACother", TOKEN, "+447700900123", "hi", null), 401, 20003);
    assertError(send(SID, TOKEN, "447700900123", "hi", null), 400, 21211);
    assertError(send(SID, TOKEN, "+447700900123", "", null), 400, 21602);
  }

  @Test
  void faultsScopedToTwilioAndACountryApplyToThoseSendsOnly() {
    arm(Map.of("mode", "error", "count", -1, "provider", "twilio", "country", "GB"));
    arm(Map.of("mode", "throttle", "count", 1, "provider", "twilio", "country", "DE"));

    assertError(send(SID, TOKEN, "+447700900123", "hi", null), 500, 20500);
    assertError(send(SID, TOKEN, "+4915112345678", "hi", null), 429, 20429);
    send(SID, TOKEN, "+4915112345678", "hi", null).expectStatus().isCreated();
    send(SID, TOKEN, "+33612345678", "hi", null).expectStatus().isCreated();

    JsonNode state =
        web.get()
            .uri("/faults")
            .exchange()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    assertThat(state.path("scoped").get(0).path("country").asString()).isEqualTo("GB");
    assertThat(state.path("scoped").get(0).path("applied").asLong()).isEqualTo(1);
    web.post()
        .uri("/faults")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("mode", "error", "provider", "sinch"))
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void aSlowFaultHoldsATwilioSendThenAcceptsItUnderItsCallbackReference() {
    arm(Map.of("mode", "slow", "count", 1, "holdMs", 300, "provider", "twilio"));
    String callback = RECEIVER.url("/webhooks/twilio/status?clientRef=ch_slow%3A1");

    long start = System.nanoTime();
    send(SID, TOKEN, "+447700900124", "Your code is 654321", callback).expectStatus().isCreated();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    JsonNode held =
        web.get()
            .uri("/faults/holds")
            .exchange()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody()
            .path("holds")
            .get(0);
    assertThat(held.path("clientRef").asString()).isEqualTo("ch_slow:1");
    assertThat(held.path("to").asString()).isEqualTo("+447700900124");
    assertThat(held.path("fate").asString()).isEqualTo("answered");
  }

  private void arm(Map<String, Object> fault) {
    web.post()
        .uri("/faults")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(fault)
        .exchange()
        .expectStatus()
        .isOk();
  }

  private WebTestClient.ResponseSpec send(
      String sid, String token, String to, String body, String callback) {
    var form = BodyInserters.fromFormData("To", to).with("From", "+15005550006").with("Body", body);
    if (callback != null) {
      form = form.with("StatusCallback", callback);
    }
    return web.post()
        .uri("/2010-04-01/Accounts/" + sid + "/Messages.json")
        .headers(h -> h.setBasicAuth(SID.equals(sid) ? SID : sid, token))
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(form)
        .exchange();
  }

  private static void assertError(WebTestClient.ResponseSpec response, int status, int code) {
    JsonNode body =
        response
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    assertThat(body.path("code").asInt()).isEqualTo(code);
    assertThat(body.path("status").asInt()).isEqualTo(status);
  }
}
