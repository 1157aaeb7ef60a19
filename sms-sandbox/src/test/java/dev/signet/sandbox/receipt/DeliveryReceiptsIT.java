package dev.signet.sandbox.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vonage.client.auth.hashutils.HashType;
import com.vonage.client.messages.MessageStatus;
import com.vonage.jwt.Jwt;
import dev.signet.sandbox.ReceiptReceiver;
import dev.signet.sandbox.SandboxProperties;
import dev.signet.sandbox.SandboxProperties.ReceiptMethod;
import dev.signet.sandbox.SandboxProperties.SignatureMethod;
import dev.signet.sandbox.SdkSignatures;
import dev.signet.testsupport.VonageForms;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Receipts sent over real HTTP to a real receiver, checked with the Vonage SDK's own verifiers. */
class DeliveryReceiptsIT {

  private static final String SECRET = "webhook-signature-secret";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ReceiptReceiver receiver;
  private ReceiptLog receiptLog;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new ReceiptReceiver();
    receiptLog = new ReceiptLog();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void getReceiptCarriesVonageDlrParametersSignedWithHmacSha256() {
    // given
    DeliveryReceipts receipts = receipts(ReceiptMethod.GET, SECRET, SignatureMethod.SHA256, 4);

    // when
    receipts.schedule(smsReceipt("m-get", Optional.of("ref-1")));

    // then
    ReceiptReceiver.Received dlr = awaitOne();
    assertThat(dlr.method()).isEqualTo("GET");
    assertThat(dlr.path()).isEqualTo("/webhooks/vonage/delivery-receipt");
    assertThat(dlr.query())
        .containsEntry("msisdn", "447700900001")
        .containsEntry("to", "Signet")
        .containsEntry("network-code", "23410")
        .containsEntry("messageId", "m-get")
        .containsEntry("price", "0.03330000")
        .containsEntry("status", "delivered")
        .containsEntry("err-code", "0")
        .containsEntry("api-key", "key-1")
        .containsEntry("client-ref", "ref-1")
        .containsKeys("scts", "message-timestamp", "timestamp", "sig");
    assertThat(dlr.query().get("scts")).matches("\\d{10}");
    assertThat(dlr.query().get("message-timestamp"))
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    assertThat(SdkSignatures.verifyParams(dlr.query(), SECRET, HashType.HMAC_SHA256)).isTrue();
    assertThat(SdkSignatures.verifyParams(dlr.query(), "wrong-secret", HashType.HMAC_SHA256))
        .isFalse();
  }

  @Test
  void postFormReceiptVerifiesAsFormParameters() {
    // given
    DeliveryReceipts receipts = receipts(ReceiptMethod.POST, SECRET, SignatureMethod.SHA256, 4);

    // when
    receipts.schedule(smsReceipt("m-form", Optional.empty()));

    // then
    ReceiptReceiver.Received dlr = awaitOne();
    assertThat(dlr.method()).isEqualTo("POST");
    assertThat(dlr.contentType()).startsWith("application/x-www-form-urlencoded");
    Map<String, String> form = VonageForms.parse(dlr.body());
    assertThat(form).containsEntry("messageId", "m-form").doesNotContainKey("client-ref");
    assertThat(SdkSignatures.verifyParams(form, SECRET, HashType.HMAC_SHA256)).isTrue();
  }

  @Test
  void postJsonReceiptVerifiesWithTheSdksPublicMd5Verifier() {
    // given
    DeliveryReceipts receipts =
        receipts(ReceiptMethod.POST_JSON, SECRET, SignatureMethod.MD5HASH, 4);

    // when
    receipts.schedule(smsReceipt("m-json", Optional.of("ref-2")));

    // then
    ReceiptReceiver.Received dlr = awaitOne();
    assertThat(dlr.contentType()).isEqualTo("application/json");
    JsonNode body = JSON.readTree(dlr.body());
    assertThat(body.path("messageId").asString()).isEqualTo("m-json");
    assertThat(body.path("err-code").isString()).isTrue();
    assertThat(SdkSignatures.verifyJson(dlr.contentType(), dlr.body(), SECRET, HashType.MD5))
        .isTrue();
  }

  @Test
  void unsignedReceiptsCarryNoSignatureParameters() {
    // given
    DeliveryReceipts receipts = receipts(ReceiptMethod.GET, null, SignatureMethod.SHA256, 4);

    // when
    receipts.schedule(smsReceipt("m-unsigned", Optional.empty()));

    // then
    assertThat(awaitOne().query())
        .containsEntry("messageId", "m-unsigned")
        .doesNotContainKeys("sig", "timestamp");
  }

  @Test
  void retriesWithBackoffUntilTheWebhookAccepts() {
    // given
    receiver.answer(500, 503);
    DeliveryReceipts receipts =
        receipts(ReceiptMethod.POST_JSON, SECRET, SignatureMethod.SHA256, 4);

    // when
    receipts.schedule(smsReceipt("m-retry", Optional.empty()));

    // then
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(receiptLog.summary("m-retry").receipts().get(0).outcome())
                    .isEqualTo("delivered"));
    ReceiptView view = receiptLog.summary("m-retry").receipts().get(0);
    assertThat(view.attempts())
        .extracting(ReceiptView.Attempt::httpStatus)
        .containsExactly(500, 503, 200);
    assertThat(receiver.received()).hasSize(3);
    assertThat(receiptLog.summary(null).delivered()).isEqualTo(1);
  }

  @Test
  void givesUpAfterTheLastAttemptAndCountsTheFailure() {
    // given
    receiver.answer(500, 500, 500);
    DeliveryReceipts receipts = receipts(ReceiptMethod.POST_JSON, null, SignatureMethod.SHA256, 3);

    // when
    receipts.schedule(smsReceipt("m-lost", Optional.empty()));

    // then
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(receiptLog.summary(null).failed()).isEqualTo(1));
    ReceiptView view = receiptLog.summary("m-lost").receipts().get(0);
    assertThat(view.outcome()).isEqualTo("failed");
    assertThat(view.attempts()).hasSize(3);
  }

  @Test
  void keepsRetryingAReceiverThatIsDownUntilItAnswers() {
    // given: a receiver down for eight attempts, no attempt count (only the retry window)
    receiver.answer(503, 503, 503, 503, 503, 503, 503, 503, 200);
    DeliveryReceipts receipts = receipts(ReceiptMethod.POST_JSON, null, SignatureMethod.SHA256, 0);

    // when
    receipts.schedule(smsReceipt("m-late", Optional.empty()));

    // then: delivered late, the delays doubling up to their cap
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(receiptLog.summary("m-late").receipts().get(0).outcome())
                    .isEqualTo("delivered"));
    assertThat(receiptLog.summary("m-late").receipts().get(0).attempts()).hasSize(9);
  }

  @Test
  void aClientErrorOtherThan429EndsTheReceiptAtOnceAsAtVonage() {
    // given
    receiver.answer(400, 200);
    DeliveryReceipts receipts = receipts(ReceiptMethod.POST_JSON, null, SignatureMethod.SHA256, 0);

    // when
    receipts.schedule(smsReceipt("m-refused", Optional.empty()));

    // then
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(receiptLog.summary(null).failed()).isEqualTo(1));
    assertThat(receiptLog.summary("m-refused").receipts().get(0).attempts()).hasSize(1);
  }

  @Test
  void messagesApiStatusIsSignedWithAJwtTheSdkVerifiesAndParsesAsAMessageStatus() {
    // given
    DeliveryReceipts receipts = receipts(ReceiptMethod.GET, SECRET, SignatureMethod.SHA256, 4);
    String uuid = UUID.randomUUID().toString();

    // when
    receipts.schedule(
        new MessageStatusRequest(
            uuid,
            "447700900001",
            "Signet",
            "sms",
            2,
            "0.06660000",
            "key-1",
            null,
            Optional.of("ref-3"),
            Optional.of("failed"),
            Optional.empty()));

    // then
    ReceiptReceiver.Received status = awaitOne();
    assertThat(status.method()).isEqualTo("POST");
    assertThat(status.authorization()).startsWith("Bearer ");
    String token = status.authorization().substring(7);
    assertThat(Jwt.verifySignature(token, SECRET)).isTrue();
    assertThat(Jwt.verifySignature(token, "wrong-secret")).isFalse();
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(claims.path("payload_hash").asString())
        .isEqualTo(WebhookJwt.sha256Hex(status.body()));
    MessageStatus parsed = MessageStatus.fromJson(status.body());
    assertThat(parsed.getMessageUuid()).isEqualTo(UUID.fromString(uuid));
    assertThat(parsed.getStatus()).isEqualTo(MessageStatus.Status.UNDELIVERABLE);
    assertThat(parsed.getClientRef()).isEqualTo("ref-3");
    assertThat(parsed.getSmsTotalCount()).isEqualTo(2);
    assertThat(parsed.getError()).isNotNull();
  }

  private ReceiptReceiver.Received awaitOne() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(receiver.received()).hasSize(1));
    return receiver.received().get(0);
  }

  private SmsReceiptRequest smsReceipt(String messageId, Optional<String> clientRef) {
    return new SmsReceiptRequest(
        messageId,
        "447700900001",
        "Signet",
        "0.03330000",
        "key-1",
        clientRef,
        Optional.empty(),
        Optional.empty());
  }

  private DeliveryReceipts receipts(
      ReceiptMethod method, String secret, SignatureMethod signatureMethod, int attempts) {
    SandboxProperties properties =
        new SandboxProperties(
            null,
            null,
            secret,
            signatureMethod,
            100,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            "23410",
            new BigDecimal("0.03330000"),
            new BigDecimal("100"),
            new SandboxProperties.Receipt(
                receiver.url("/webhooks/vonage/delivery-receipt"),
                Duration.ofMillis(10),
                "delivered",
                method,
                attempts,
                Duration.ofMillis(20),
                Duration.ofSeconds(2),
                Duration.ofMillis(80),
                Duration.ofSeconds(3)));
    return new DeliveryReceipts(
        properties,
        JSON,
        Clock.systemUTC(),
        () -> UUID.randomUUID().toString(),
        receiptLog,
        new SimpleMeterRegistry());
  }
}
