package dev.signet.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.sms.it.DispatcherItSupport;
import dev.signet.testsupport.PrometheusScrape;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The delivery-receipt webhook against the running dispatcher: signed receipts in each of Vonage's
 * three shapes are stored once and announced once; unsigned, stale, forged, malformed and
 * wrong-method requests are refused.
 */
class DeliveryReceiptIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void aSignedJsonReceiptIsStoredThenReportedOnceWithTheTimeFromSend() throws Exception {
    String challengeId = newChallengeId();
    String messageId = sendSms(challengeId);

    Map<String, String> receipt = signed(receiptFor(messageId, challengeId, "delivered", "0"));
    HttpResponse<String> first = postJson(receipt);
    // Stored before the answer: the document is there as soon as the 2xx is.
    assertThat(first.statusCode()).isEqualTo(204);
    assertThat(stored(messageId + ":delivered:0")).isNotNull();
    HttpResponse<String> duplicate = postJson(receipt);
    assertThat(duplicate.statusCode()).isEqualTo(204);

    await()
        .atMost(WAIT)
        .until(() -> !events().records(SmsDeliveryReported.class, challengeId).isEmpty());
    SmsDeliveryReported event = events().records(SmsDeliveryReported.class, challengeId).get(0);
    assertThat(event.getProviderMessageId()).isEqualTo(messageId);
    assertThat(event.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(event.getFinalStatus()).isTrue();
    assertThat(event.getErrorCode()).isEqualTo("0");
    assertThat(event.getAttempt()).isEqualTo(1);
    assertThat(event.getSendToReceiptMillis()).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(event.getDispatchedAt()).isNotNull();
    assertThat(event.getPrice()).isEqualTo("0.03330000");
    assertThat(stored(messageId + ":delivered:0").toJson()).doesNotContain("447700");
    // The duplicate changed nothing: still one event once the outbox is empty.
    await()
        .atMost(WAIT)
        .until(() -> stored(messageId + ":delivered:0").getList("outbox", Object.class).isEmpty());
    assertThat(events().records(SmsDeliveryReported.class, challengeId)).hasSize(1);
  }

  @Test
  void formPostAndGetReceiptsAreAcceptedToo() throws Exception {
    String challengeId = newChallengeId();
    String messageId = sendSms(challengeId);

    HttpResponse<String> form =
        send(
            HttpRequest.newBuilder(uri(""))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        encode(signed(receiptFor(messageId, challengeId, "accepted", "0"))))));
    HttpResponse<String> get =
        send(
            HttpRequest.newBuilder(
                    uri("?" + encode(signed(receiptFor(messageId, challengeId, "failed", "8")))))
                .GET());

    assertThat(form.statusCode()).isEqualTo(204);
    assertThat(get.statusCode()).isEqualTo(204);
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDeliveryReported.class, challengeId).size() == 2);
    assertThat(events().records(SmsDeliveryReported.class, challengeId))
        .extracting(SmsDeliveryReported::getStatus)
        .containsExactlyInAnyOrder(DeliveryStatus.ACCEPTED, DeliveryStatus.FAILED);
    assertThat(events().records(SmsDeliveryReported.class, challengeId))
        .filteredOn(e -> e.getStatus() == DeliveryStatus.ACCEPTED)
        .singleElement()
        .satisfies(e -> assertThat(e.getFinalStatus()).isFalse());
  }

  @Test
  void aReceiptForAnUnknownMessageIsStoredAndReportedUnderItsMessageId() throws Exception {
    String messageId = UUID.randomUUID().toString();

    HttpResponse<String> response = postJson(signed(receiptFor(messageId, null, "delivered", "0")));

    assertThat(response.statusCode()).isEqualTo(204);
    await()
        .atMost(WAIT)
        .until(() -> !events().records(SmsDeliveryReported.class, messageId).isEmpty());
    SmsDeliveryReported event = events().records(SmsDeliveryReported.class, messageId).get(0);
    assertThat(event.getChallengeId()).isEmpty();
    assertThat(event.getSendToReceiptMillis()).isNull();
  }

  @Test
  void unsignedStaleForgedAndMalformedReceiptsAreRefusedAndNotStored() throws Exception {
    String messageId = UUID.randomUUID().toString();
    Map<String, String> receipt = receiptFor(messageId, null, "delivered", "0");
    Map<String, String> forged = signed(receipt);
    forged.put("status", "failed");
    Map<String, String> stale = new LinkedHashMap<>(receipt);
    stale.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000 - 600));
    stale.put("sig", new ReceiptSignature(SIGNATURE_SECRET, Duration.ofMinutes(5)).sign(stale));
    Map<String, String> noMessageId = new LinkedHashMap<>(receipt);
    noMessageId.remove("messageId");

    assertThat(postJson(receipt).statusCode()).isEqualTo(401);
    assertThat(postJson(forged).statusCode()).isEqualTo(401);
    assertThat(postJson(stale).statusCode()).isEqualTo(401);
    assertThat(postJson(signed(noMessageId)).statusCode()).isEqualTo(400);
    assertThat(
            send(HttpRequest.newBuilder(uri(""))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{not json")))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            send(HttpRequest.newBuilder(uri(""))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(receipt))))
                .statusCode())
        .isEqualTo(405);
    assertThat(stored(messageId + ":delivered:0")).isNull();
    assertThat(stored(messageId + ":failed:0")).isNull();
  }

  @Test
  void aSignedMessagesApiStatusIsReportedAndUnsignedForgedOrStaleOnesAreRefused() throws Exception {
    String challengeId = newChallengeId();
    String messageId = sendSms(challengeId);
    String body =
        JSON.writeValueAsString(
            Map.of(
                "message_uuid",
                messageId,
                "status",
                "delivered",
                "timestamp",
                "2026-11-25T18:07:36.000Z",
                "channel",
                "whatsapp",
                "client_ref",
                challengeId + ":1",
                "usage",
                Map.of("currency", "EUR", "price", "0.0050"),
                "destination",
                Map.of("network_code", "23410")));
    long now = System.currentTimeMillis() / 1000;

    assertThat(postStatus(null, body).statusCode()).isEqualTo(401);
    assertThat(
            postStatus(
                    jwt("HS256", body, now, SIGNATURE_SECRET),
                    body.replace("delivered", "rejected"))
                .statusCode())
        .isEqualTo(401);
    assertThat(postStatus(jwt("HS256", body, now, "another-secret"), body).statusCode())
        .isEqualTo(401);
    assertThat(postStatus(jwt("none", body, now, SIGNATURE_SECRET), body).statusCode())
        .isEqualTo(401);
    assertThat(postStatus(jwt("HS256", body, now - 600, SIGNATURE_SECRET), body).statusCode())
        .isEqualTo(401);
    assertThat(stored(messageId + ":delivered:")).isNull();

    assertThat(postStatus(jwt("HS256", body, now, SIGNATURE_SECRET), body).statusCode())
        .isEqualTo(204);
    assertThat(stored(messageId + ":delivered:")).isNotNull();
    await()
        .atMost(WAIT)
        .until(() -> !events().records(SmsDeliveryReported.class, challengeId).isEmpty());
    SmsDeliveryReported reported = events().records(SmsDeliveryReported.class, challengeId).get(0);
    assertThat(reported.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(reported.getProviderMessageId()).isEqualTo(messageId);
  }

  private HttpResponse<String> postStatus(String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(""))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  /** A Messages API webhook token as Vonage signs it: HS256 over claims with the body's hash. */
  private static String jwt(String alg, String body, long issuedAt, String secret)
      throws Exception {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String hash =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
    String header =
        b64.encodeToString(
            ("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
    String claims =
        b64.encodeToString(
            JSON.writeValueAsBytes(
                Map.of(
                    "iat", issuedAt, "jti", UUID.randomUUID().toString(), "payload_hash", hash)));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature =
        "none".equals(alg)
            ? ""
            : b64.encodeToString(
                mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
    return header + "." + claims + "." + signature;
  }

  @Test
  void sendsReceiptsAndRequestToSendAreExportedByRouteAndCountryWithoutTheNumber()
      throws Exception {
    // given: the counters as they stand (the context is shared with other tests)
    String sends =
        "signet_sms_sends_total{country=\"JP\",outcome=\"accepted\",route=\"vonage-sms\"}";
    String delivered =
        "signet_sms_receipts_total{country=\"JP\",route=\"vonage-sms\",status=\"delivered\"}";
    PrometheusScrape before = PrometheusScrape.of(port, MANAGEMENT_SECRET);
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();

    // when: a send to Japan, delivered
    publish(requested(challengeId, 1, phone, "123123").setCountryCode("JP").build());
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    String messageId =
        events().records(SmsDispatched.class, challengeId).get(0).getProviderMessageId();
    assertThat(postJson(signed(receiptFor(messageId, challengeId, "delivered", "0"))).statusCode())
        .isEqualTo(204);
    PrometheusScrape after = PrometheusScrape.of(port, MANAGEMENT_SECRET);

    // then
    assertThat(after.value(sends) - before.value(sends)).isEqualTo(1);
    assertThat(after.value(delivered) - before.value(delivered)).isEqualTo(1);
    assertThat(after.text())
        .contains("signet_sms_request_to_send_seconds_bucket{route=\"vonage-sms\",le=")
        .doesNotContain(phone.substring(1));
  }

  private String sendSms(String challengeId) {
    publish(requested(challengeId, 1, freshPhoneNumber(), "123123").build());
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    return events().records(SmsDispatched.class, challengeId).get(0).getProviderMessageId();
  }

  private static Map<String, String> receiptFor(
      String messageId, String challengeId, String status, String errCode) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("msisdn", "447700900123");
    params.put("to", "Signet");
    params.put("network-code", "23410");
    params.put("messageId", messageId);
    params.put("price", "0.03330000");
    params.put("status", status);
    params.put("scts", "2611251807");
    params.put("err-code", errCode);
    params.put("api-key", "it-key");
    params.put("message-timestamp", "2026-11-25 18:07:36");
    if (challengeId != null) {
      params.put("client-ref", challengeId + ":1");
    }
    return params;
  }

  private static Map<String, String> signed(Map<String, String> params) {
    return ReceiptSignatureTest.signedBySdk(params, SIGNATURE_SECRET);
  }

  private Document stored(String id) {
    return mongo.findById(id, Document.class, ReceiptService.COLLECTION).block();
  }

  private URI uri(String query) {
    return URI.create("http://127.0.0.1:" + port + DeliveryReceiptController.PATH + query);
  }

  private HttpResponse<String> postJson(Map<String, String> params) throws IOException {
    return send(
        HttpRequest.newBuilder(uri(""))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(params))));
  }

  private static String encode(Map<String, String> params) {
    return params.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
