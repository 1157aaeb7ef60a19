package dev.signet.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.twilio.security.RequestValidator;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.sms.it.DispatcherItSupport;
import dev.signet.sms.it.TwilioStub;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Twilio status callbacks against the running dispatcher: a callback signed as Twilio signs ({@code
 * X-Twilio-Signature}) is stored and reported for its attempt; unsigned, forged and re-addressed
 * ones are refused with 401 and stored nowhere.
 */
class TwilioStatusIT extends DispatcherItSupport {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aSignedStatusCallbackIsStoredAndReportedForItsAttempt() {
    String challengeId = newChallengeId();
    String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
    String query = "clientRef=" + challengeId + "%3A1";
    Map<String, String> params = status(sid, "delivered");

    HttpResponse<String> response =
        post(query, params, sign(TwilioStub.AUTH_TOKEN, TWILIO_CALLBACK + "?" + query, params));

    assertThat(response.statusCode()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !events().records(SmsDeliveryReported.class, sid).isEmpty());
    SmsDeliveryReported reported = events().records(SmsDeliveryReported.class, sid).get(0);
    assertThat(reported.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(reported.getProviderMessageId()).isEqualTo(sid);
  }

  @Test
  void unsignedForgedAndReaddressedCallbacksAreRefused() {
    String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
    String query = "clientRef=ch_victim%3A1";
    Map<String, String> params = status(sid, "delivered");
    String genuine = sign(TwilioStub.AUTH_TOKEN, TWILIO_CALLBACK + "?" + query, params);

    HttpResponse<String> unsigned = post(query, params, null);
    HttpResponse<String> forged =
        post(query, params, sign("not-the-token", TWILIO_CALLBACK + "?" + query, params));
    HttpResponse<String> readdressed = post("clientRef=ch_other%3A1", params, genuine);
    Map<String, String> altered = new LinkedHashMap<>(params);
    altered.put("MessageStatus", "undelivered");
    HttpResponse<String> alteredStatus = post(query, altered, genuine);

    for (HttpResponse<String> refused :
        java.util.List.of(unsigned, forged, readdressed, alteredStatus)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("\"error\":\"unauthorized\"");
    }
    assertThat(unsigned.body()).contains("signature missing");
    assertThat(forged.body()).contains("signature invalid");
    // The genuine signature, as the test computes it, is what the SDK's validator accepts.
    assertThat(
            new RequestValidator(TwilioStub.AUTH_TOKEN)
                .validate(TWILIO_CALLBACK + "?" + query, params, genuine))
        .isTrue();
  }

  private static Map<String, String> status(String sid, String status) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", TwilioStub.ACCOUNT_SID);
    params.put("ApiVersion", "2010-04-01");
    params.put("MessageSid", sid);
    params.put("MessageStatus", status);
    params.put("SmsSid", sid);
    params.put("SmsStatus", status);
    params.put("To", "+447700900123");
    params.put("From", "+15005550006");
    return params;
  }

  /** Twilio's webhook signature: Base64 HMAC-SHA1 of the URL and the sorted parameters. */
  private static String sign(String token, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> post(String query, Map<String, String> params, String signature) {
    String body =
        params.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/webhooks/twilio/status?" + query))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
