package dev.signet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.vonage.client.HttpConfig;
import com.vonage.client.VonageApiResponseException;
import com.vonage.client.VonageClient;
import com.vonage.client.VonageMethodFailedException;
import com.vonage.client.auth.hashutils.HashType;
import com.vonage.client.messages.MessageResponse;
import com.vonage.client.messages.MessageResponseException;
import com.vonage.client.messages.sms.SmsTextRequest;
import com.vonage.client.messages.whatsapp.WhatsappCustomRequest;
import com.vonage.client.messages.whatsapp.WhatsappTextRequest;
import com.vonage.client.sms.MessageStatus;
import com.vonage.client.sms.SmsSubmissionResponse;
import com.vonage.client.sms.SmsSubmissionResponseMessage;
import com.vonage.client.sms.messages.TextMessage;
import com.vonage.jwt.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox driven by the real Vonage SDK, with fixed credentials and HMAC-SHA256-signed JSON
 * receipts delivered to a real webhook receiver.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "signet.sandbox.api-key=test-key",
      "signet.sandbox.api-secret=test-secret",
      "signet.sandbox.signature-secret=" + SmsSandboxIT.SIGNATURE_SECRET,
      "signet.sandbox.signature-method=sha256",
      "signet.sandbox.timeout-hold=4s",
      "signet.sandbox.receipt.delay=50ms",
      "signet.sandbox.receipt.backoff=50ms",
      "signet.sandbox.receipt.method=POST-JSON"
    })
@ExtendWith(OutputCaptureExtension.class)
class SmsSandboxIT {

  static final String SIGNATURE_SECRET = "sandbox-signature-secret";
  private static final String RECEIPT_PATH = "/webhooks/vonage/delivery-receipt";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ReceiptReceiver RECEIVER = startReceiver();

  @LocalServerPort int port;

  private WebTestClient web;
  private VonageClient vonage;

  @DynamicPropertySource
  static void receiptUrl(DynamicPropertyRegistry registry) {
    registry.add("signet.sandbox.receipt.url", () -> RECEIVER.url(RECEIPT_PATH));
  }

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  @BeforeEach
  void reset() {
    web = WebTestClient.bindToServer().baseUrl(base()).build();
    web.delete().uri("/inbox").exchange().expectStatus().isNoContent();
    web.delete().uri("/receipts").exchange().expectStatus().isNoContent();
    arm(Map.of("mode", "ok"));
    RECEIVER.reset();
    vonage = client("test-key", "test-secret");
  }

  @Test
  void smsSentWithTheSdkLandsInTheInboxWithoutTheTextOrNumberReachingTheLogs(
      CapturedOutput output) {
    // when
    TextMessage message = new TextMessage("Signet", "+447700900001", "Your Signet code is 482913");
    message.setClientReference("challenge-1");
    SmsSubmissionResponse response = vonage.getSmsClient().submitMessage(message);

    // then
    assertThat(response.getMessageCount()).isEqualTo(1);
    SmsSubmissionResponseMessage sent = response.getMessages().get(0);
    assertThat(sent.getStatus()).isEqualTo(MessageStatus.OK);
    assertThat(sent.getTo()).isEqualTo("447700900001");
    assertThat(sent.getNetwork()).isEqualTo("23410");
    assertThat(sent.getMessagePrice()).isNotNull();
    assertThat(sent.getRemainingBalance()).isNotNull();
    assertThat(sent.getClientRef()).isEqualTo("challenge-1");

    JsonNode inbox = inbox("%2B447700900001");
    assertThat(inbox).hasSize(1);
    JsonNode received = inbox.get(0);
    assertThat(received.path("messageId").asString()).isEqualTo(sent.getId());
    assertThat(received.path("to").asString()).isEqualTo("+447700900001");
    assertThat(received.path("from").asString()).isEqualTo("Signet");
    assertThat(received.path("text").asString()).isEqualTo("Your Signet code is 482913");
    assertThat(received.path("channel").asString()).isEqualTo("sms");
    assertThat(received.path("type").asString()).isEqualTo("text");
    assertThat(received.path("receivedAt").asString()).isNotBlank();

    assertThat(output.getAll()).contains(sent.getId()).doesNotContain("482913", "447700900001");
  }

  @Test
  void inboxFiltersByRecipientWithOrWithoutPlusAndCanBeCleared() {
    // given
    send("447700900011", "first");
    send("447700900012", "second");
    send("447700900011", "third");

    // when / then
    assertThat(inbox("447700900011"))
        .extracting(n -> n.path("text").asString())
        .containsExactly("third", "first");
    assertThat(inbox("%2B447700900012"))
        .extracting(n -> n.path("text").asString())
        .containsExactly("second");
    assertThat(inbox(null)).hasSize(3);
    web.delete().uri("/inbox").exchange().expectStatus().isNoContent();
    assertThat(inbox(null)).isEmpty();
  }

  @Test
  void testTrafficFromTheDispatcherLandsInTheInboxMarkedWithoutChargeOrReceipt() {
    // when
    String messageId =
        web.post()
            .uri("/inbox/test-traffic")
            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
            .bodyValue(
                "{\"to\":\"+447700900077\",\"from\":\"Signet\",\"text\":\"code 000000\","
                    + "\"channel\":\"sms\",\"clientRef\":\"ch_test:1\"}")
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody()
            .path("messageId")
            .asString();

    // then
    JsonNode message = inbox("447700900077").get(0);
    assertThat(message.path("messageId").asString()).isEqualTo(messageId);
    assertThat(message.path("testTraffic").asBoolean()).isTrue();
    assertThat(message.path("api").asString()).isEqualTo("test");
    assertThat(message.path("clientRef").asString()).isEqualTo("ch_test:1");
    assertThat(receipts(messageId).path("receipts")).isEmpty();
    web.post()
        .uri("/inbox/test-traffic")
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .bodyValue("{\"to\":\"not a number\",\"text\":\"x\"}")
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void longUnicodeTextIsSentAsUnicodeAndSplitIntoParts() {
    // when
    String text = "Ваш код Signet: 482913. ".repeat(4);
    SmsSubmissionResponse response =
        vonage.getSmsClient().submitMessage(new TextMessage("Signet", "447700900002", text, true));

    // then
    assertThat(response.getMessageCount()).isEqualTo(2);
    assertThat(response.getMessages())
        .allSatisfy(m -> assertThat(m.getStatus()).isEqualTo(MessageStatus.OK));
    assertThat(response.getMessages().get(0).getId())
        .isNotEqualTo(response.getMessages().get(1).getId());
    JsonNode received = inbox("447700900002").get(0);
    assertThat(received.path("text").asString()).isEqualTo(text);
    assertThat(received.path("type").asString()).isEqualTo("unicode");
    assertThat(received.path("parts").asInt()).isEqualTo(2);
  }

  @Test
  void longGsmTextCountsConcatenatedParts() {
    // when
    SmsSubmissionResponse response = send("447700900003", "a".repeat(307));

    // then
    assertThat(response.getMessageCount()).isEqualTo(3);
  }

  @Test
  void wrongCredentialsAreRefusedWithStatusFour() {
    // when
    SmsSubmissionResponse response =
        client("test-key", "not-the-secret")
            .getSmsClient()
            .submitMessage(new TextMessage("Signet", "447700900004", "hello"));

    // then
    assertThat(response.getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.INVALID_CREDENTIALS);
    assertThat(inbox(null)).isEmpty();
  }

  @Test
  void throttleFaultGivesStatusOneForTheArmedCountThenSendsAgain() {
    // given
    arm(Map.of("mode", "throttle", "count", 1));

    // when / then
    assertThat(send("447700900005", "one").getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.THROTTLED);
    assertThat(send("447700900005", "two").getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.OK);
    assertThat(inbox("447700900005")).hasSize(1);
  }

  @Test
  void rejectAndQuotaFaultsGiveStatusSixAndNine() {
    // given
    arm(Map.of("mode", "reject", "count", 1));

    // when / then
    assertThat(send("447700900006", "x").getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.INVALID_MESSAGE);
    arm(Map.of("mode", "quota", "count", 1));
    assertThat(send("447700900006", "x").getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.PARTNER_QUOTA_EXCEEDED);
    assertThat(inbox(null)).isEmpty();
  }

  @Test
  void errorFaultIsAnHttp500ForBothApis() {
    // given
    arm(Map.of("mode", "error", "count", 2));

    // when / then
    assertThatThrownBy(() -> send("447700900007", "x"))
        .isInstanceOf(VonageApiResponseException.class)
        .hasMessageContaining("Internal Error");
    assertThatThrownBy(() -> vonage.getMessagesClient().sendMessage(smsRequest("447700900007")))
        .isInstanceOfSatisfying(
            MessageResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(500));
  }

  @Test
  void timeoutFaultOutlastsTheSdkTimeoutWithoutBlockingOtherRequests() {
    // given
    arm(Map.of("mode", "timeout", "count", 2));

    // when / then
    assertThatThrownBy(() -> send("447700900008", "x"))
        .isInstanceOf(VonageMethodFailedException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(() -> vonage.getMessagesClient().sendMessage(smsRequest("447700900008")))
        .isInstanceOf(VonageMethodFailedException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);
    assertThat(send("447700900008", "after").getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.OK);
  }

  @Test
  void slowFaultHoldsEachSendThenAcceptsItAndShowsItAsHeldMeanwhile() throws Exception {
    // given
    arm(Map.of("mode", "slow", "count", 2, "holdMs", 700));
    long heldBefore = holds().path("held").asLong();

    // when
    long start = System.nanoTime();
    CompletableFuture<SmsSubmissionResponse> sms =
        CompletableFuture.supplyAsync(() -> send("447700900031", "held"));
    CompletableFuture<MessageResponse> messages =
        CompletableFuture.supplyAsync(
            () -> vonage.getMessagesClient().sendMessage(smsRequest("447700900031")));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> holds().path("holding").asInt() == 2);
    assertThat(inbox("447700900031")).as("nothing taken during the hold").isEmpty();

    // then
    assertThat(sms.get(5, TimeUnit.SECONDS).getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.OK);
    assertThat(messages.get(5, TimeUnit.SECONDS).getMessageUuid()).isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(inbox("447700900031")).hasSize(2);
    assertThat(holds().path("holding").asInt()).isZero();
    assertThat(holds().path("held").asLong()).isEqualTo(heldBefore + 2);
    // the fault was for two sends: the next is answered at once
    assertThat(send("447700900031", "after").getMessages().get(0).getStatus())
        .isEqualTo(MessageStatus.OK);
    assertThat(holds().path("held").asLong()).isEqualTo(heldBefore + 2);
  }

  @Test
  void aHeldSendWhoseClientGaveUpIsTakenAnywayAndItsReceiptSent() {
    // given: held longer than the client waits (1.5 s)
    arm(Map.of("mode", "slow", "count", 1, "holdMs", 2500));
    long before = holds().path("clientGoneAccepted").asLong();
    TextMessage message = new TextMessage("Signet", "447700900032", "taken anyway");
    message.setClientReference("ch_gone:1");

    // when
    assertThatThrownBy(() -> vonage.getSmsClient().submitMessage(message))
        .isInstanceOf(VonageMethodFailedException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);

    // then
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> holds().path("clientGoneAccepted").asLong() == before + 1);
    JsonNode taken = inbox("447700900032").get(0);
    assertThat(taken.path("clientRef").asString()).isEqualTo("ch_gone:1");
    assertThat(awaitReceipt(taken.path("messageId").asString()).body()).contains("ch_gone:1");
    assertThat(holds().path("holding").asInt()).isZero();
    JsonNode held = heldSends().get(0);
    assertThat(held.path("clientRef").asString()).isEqualTo("ch_gone:1");
    assertThat(held.path("to").asString()).isEqualTo("+447700900032");
    assertThat(held.path("fate").asString()).isEqualTo("taken-client-gone");
  }

  @Test
  void aHeldSendWhoseClientGaveUpIsDroppedWhenTheFaultSaysSo() {
    // given
    arm(Map.of("mode", "slow", "count", 1, "holdMs", 2500, "clientGone", "drop"));
    long before = holds().path("clientGoneDropped").asLong();

    // when
    assertThatThrownBy(() -> send("447700900033", "dropped"))
        .isInstanceOf(VonageMethodFailedException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);

    // then: dropped when the client went away, and still nothing once the hold is over
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> holds().path("clientGoneDropped").asLong() == before + 1);
    assertThat(holds().path("holding").asInt()).isZero();
    assertThat(heldSends().get(0).path("fate").asString()).isEqualTo("dropped");
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> inbox("447700900033").isEmpty());
  }

  @Test
  void holdSettingsAreRefusedForModesOtherThanSlow() {
    web.post()
        .uri("/faults")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("mode", "error", "holdMs", 100))
        .exchange()
        .expectStatus()
        .isBadRequest();
    web.post()
        .uri("/faults")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("mode", "slow", "holdMs", -1))
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void messagesApiSmsWithBasicAuthIsAcceptedIntoTheInbox() {
    // when
    MessageResponse response = vonage.getMessagesClient().sendMessage(smsRequest("447700900009"));

    // then
    JsonNode received = inbox("447700900009").get(0);
    assertThat(received.path("messageId").asString())
        .isEqualTo(response.getMessageUuid().toString());
    assertThat(received.path("channel").asString()).isEqualTo("sms");
    assertThat(received.path("api").asString()).isEqualTo("messages");
    assertThat(received.path("text").asString()).isEqualTo("Your code is 123456");
  }

  @Test
  void messagesApiWhatsappAuthenticationTemplateWithAnApplicationJwtIsAcceptedAndItsStatusIsSigned()
      throws Exception {
    // given
    VonageClient jwtClient =
        VonageClient.builder()
            .applicationId(UUID.randomUUID())
            .privateKeyContents(privateKeyPem())
            .httpConfig(httpConfig())
            .build();

    // when
    MessageResponse response =
        jwtClient
            .getMessagesClient()
            .sendMessage(
                WhatsappCustomRequest.builder()
                    .from("447700900000")
                    .to("447700900010")
                    .custom(authenticationTemplate("654321", "654321"))
                    .build());

    // then
    JsonNode received = inbox("447700900010").get(0);
    assertThat(received.path("channel").asString()).isEqualTo("whatsapp");
    assertThat(received.path("text").asString())
        .isEqualTo("654321 is your verification code. For your security, do not share this code.");
    ReceiptReceiver.Received status = awaitReceipt(response.getMessageUuid().toString());
    assertThat(Jwt.verifySignature(status.authorization().substring(7), SIGNATURE_SECRET)).isTrue();
    assertThat(com.vonage.client.messages.MessageStatus.fromJson(status.body()).getStatus())
        .isEqualTo(com.vonage.client.messages.MessageStatus.Status.DELIVERED);
  }

  @Test
  void whatsappFreeTextIsRefusedAsOutsideTheCustomerCareWindowAndNothingIsSent() {
    // when / then
    assertThatThrownBy(
            () ->
                vonage
                    .getMessagesClient()
                    .sendMessage(
                        WhatsappTextRequest.builder()
                            .from("447700900000")
                            .to("447700900015")
                            .text("Your code is 654321")
                            .build()))
        .isInstanceOfSatisfying(
            MessageResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              assertThat(e.getType().toString())
                  .isEqualTo("https://developer.vonage.com/api-errors/messages#1340");
              assertThat(e.getTitle()).isEqualTo("Outside the allowed window");
            });
    assertThat(inbox("447700900015")).isEmpty();
  }

  @Test
  void whatsappTemplateWithoutTheCodeInItsBodyAndCopyCodeButtonIsRefused() {
    // given: no button, no body parameter, a button carrying another code
    Map<String, Object> noButton = authenticationTemplate("654321", null);
    Map<String, Object> noBody = authenticationTemplate(null, "654321");
    Map<String, Object> mismatch = authenticationTemplate("654321", "111111");

    // when / then
    for (Map<String, Object> custom : List.of(noButton, noBody, mismatch)) {
      assertThatThrownBy(
              () ->
                  vonage
                      .getMessagesClient()
                      .sendMessage(
                          WhatsappCustomRequest.builder()
                              .from("447700900000")
                              .to("447700900016")
                              .custom(custom)
                              .build()))
          .isInstanceOfSatisfying(
              MessageResponseException.class,
              e -> {
                assertThat(e.getStatusCode()).isEqualTo(422);
                assertThat(e.getTitle()).isEqualTo("Invalid params");
                assertThat(String.valueOf(e.getInvalidParameters()))
                    .contains("custom.template.components");
              });
    }
    assertThat(inbox("447700900016")).isEmpty();
  }

  /**
   * WhatsApp's authentication template object: {@code bodyCode} as the body parameter and {@code
   * buttonCode} as the copy-code button's (null leaves that component out).
   */
  private static Map<String, Object> authenticationTemplate(String bodyCode, String buttonCode) {
    List<Object> components = new java.util.ArrayList<>();
    if (bodyCode != null) {
      components.add(
          Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", bodyCode))));
    }
    if (buttonCode != null) {
      components.add(
          Map.of(
              "type",
              "button",
              "sub_type",
              "url",
              "index",
              "0",
              "parameters",
              List.of(Map.of("type", "text", "text", buttonCode))));
    }
    return Map.of(
        "type",
        "template",
        "template",
        Map.of(
            "name",
            "signet_otp",
            "language",
            Map.of("policy", "deterministic", "code", "en"),
            "components",
            components));
  }

  @Test
  void messagesApiFaultsMapToVonageHttpErrors() {
    // given
    arm(Map.of("mode", "throttle", "count", 1));

    // when / then
    assertThatThrownBy(() -> vonage.getMessagesClient().sendMessage(smsRequest("447700900013")))
        .isInstanceOfSatisfying(
            MessageResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(429);
              assertThat(e.getTitle()).isEqualTo("Rate Limit Hit");
            });
    arm(Map.of("mode", "reject", "count", 1));
    assertThatThrownBy(() -> vonage.getMessagesClient().sendMessage(smsRequest("447700900013")))
        .isInstanceOfSatisfying(
            MessageResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              assertThat(e.getInvalidParameters()).isNotEmpty();
            });
    assertThatThrownBy(
            () ->
                client("test-key", "wrong")
                    .getMessagesClient()
                    .sendMessage(smsRequest("447700900013")))
        .isInstanceOfSatisfying(
            MessageResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
  }

  @Test
  void smsReceiptArrivesSignedAndVerifiesWithTheSdk() {
    // when
    TextMessage message = new TextMessage("Signet", "447700900014", "Your code is 111222");
    message.setClientReference("challenge-14");
    String messageId = vonage.getSmsClient().submitMessage(message).getMessages().get(0).getId();

    // then
    ReceiptReceiver.Received dlr = awaitReceipt(messageId);
    assertThat(dlr.method()).isEqualTo("POST");
    assertThat(dlr.path()).isEqualTo(RECEIPT_PATH);
    assertThat(dlr.contentType()).isEqualTo("application/json");
    JsonNode body = JSON.readTree(dlr.body());
    assertThat(body.path("msisdn").asString()).isEqualTo("447700900014");
    assertThat(body.path("to").asString()).isEqualTo("Signet");
    assertThat(body.path("status").asString()).isEqualTo("delivered");
    assertThat(body.path("api-key").asString()).isEqualTo("test-key");
    assertThat(body.path("client-ref").asString()).isEqualTo("challenge-14");
    assertThat(
            SdkSignatures.verifyJson(
                dlr.contentType(), dlr.body(), SIGNATURE_SECRET, HashType.HMAC_SHA256))
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(receipts(messageId).path("receipts").get(0).path("outcome").asString())
                    .isEqualTo("delivered"));
  }

  @Test
  void aFaultCanMakeTheNextReceiptReportFailure() {
    // given
    arm(Map.of("receiptStatus", "failed", "count", 1));

    // when
    String failedId = send("447700900015", "x").getMessages().get(0).getId();
    String deliveredId = send("447700900015", "y").getMessages().get(0).getId();

    // then
    JsonNode failed = JSON.readTree(awaitReceipt(failedId).body());
    assertThat(failed.path("status").asString()).isEqualTo("failed");
    assertThat(failed.path("err-code").asString()).isNotEqualTo("0");
    JsonNode delivered = JSON.readTree(awaitReceipt(deliveredId).body());
    assertThat(delivered.path("status").asString()).isEqualTo("delivered");
  }

  @Test
  void faultStateIsVisible() {
    // given
    arm(Map.of("mode", "throttle", "count", 3));

    // when
    JsonNode state =
        JSON.readTree(
            web.get()
                .uri("/faults")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());

    // then
    assertThat(state.path("mode").asString()).isEqualTo("throttle");
    assertThat(state.path("remaining").asInt()).isEqualTo(3);
  }

  @Test
  void healthIsPlainUp() {
    web.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("{\"status\":\"UP\"}", org.springframework.test.json.JsonCompareMode.STRICT);
  }

  private SmsSubmissionResponse send(String to, String text) {
    return vonage.getSmsClient().submitMessage(new TextMessage("Signet", to, text));
  }

  private static SmsTextRequest smsRequest(String to) {
    return SmsTextRequest.builder().from("Signet").to(to).text("Your code is 123456").build();
  }

  private ReceiptReceiver.Received awaitReceipt(String messageId) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> RECEIVER.received().stream().anyMatch(r -> r.body().contains(messageId)));
    return RECEIVER.received().stream()
        .filter(r -> r.body().contains(messageId))
        .findFirst()
        .orElseThrow();
  }

  private JsonNode inbox(String to) {
    String body =
        web.get()
            // A URI, not a template: the caller's %2B must reach the server as it is.
            .uri(URI.create(base() + (to == null ? "/inbox" : "/inbox?to=" + to)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body).path("messages");
  }

  /** The sandbox's count of the sends the slow fault holds. */
  private JsonNode holds() {
    return JSON.readTree(
            web.get()
                .uri("/faults")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody())
        .path("holds");
  }

  /** The last sends the slow fault held, newest first. */
  private JsonNode heldSends() {
    return JSON.readTree(
            web.get()
                .uri("/faults/holds")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody())
        .path("holds");
  }

  private JsonNode receipts(String messageId) {
    return JSON.readTree(
        web.get()
            .uri("/receipts?messageId=" + messageId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
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

  private VonageClient client(String key, String secret) {
    return VonageClient.builder().apiKey(key).apiSecret(secret).httpConfig(httpConfig()).build();
  }

  private HttpConfig httpConfig() {
    return HttpConfig.builder().baseUri(base()).timeoutMillis(1500).build();
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private static String privateKeyPem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static ReceiptReceiver startReceiver() {
    try {
      return new ReceiptReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
