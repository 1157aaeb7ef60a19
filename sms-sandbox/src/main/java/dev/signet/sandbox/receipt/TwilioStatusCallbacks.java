package dev.signet.sandbox.receipt;

import dev.signet.sandbox.SandboxProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Twilio's message status callbacks: a form {@code POST} to the message's {@code StatusCallback}
 * with {@code MessageSid}, {@code MessageStatus} and friends, signed as Twilio signs webhooks:
 * {@code X-Twilio-Signature} = Base64(HMAC-SHA1(auth token, URL + every form parameter name and
 * value, sorted by name)), which the Twilio SDK's {@code RequestValidator} verifies. Delivered
 * after the receipt delay and retried like the Vonage receipts.
 */
@Component
public class TwilioStatusCallbacks {

  private final DeliveryReceipts receipts;
  private final SandboxProperties properties;
  private final Clock clock;
  private final WebClient http = WebClient.builder().build();

  TwilioStatusCallbacks(DeliveryReceipts receipts, SandboxProperties properties, Clock clock) {
    this.receipts = receipts;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * One message's final status callback.
   *
   * @param statusOverride receipt status armed by a fault (Vonage's vocabulary), else the
   *     configured one
   */
  public void schedule(
      String messageSid,
      String accountSid,
      String authToken,
      String to,
      String from,
      String callbackUrl,
      Optional<String> statusOverride) {
    String status = twilioStatus(statusOverride.orElse(properties.receipt().status()));
    ReceiptRecord record =
        new ReceiptRecord(messageSid, "twilio", callbackUrl, "POST", status, true, clock.instant());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", accountSid);
    params.put("ApiVersion", "2010-04-01");
    params.put("From", from);
    params.put("MessageSid", messageSid);
    params.put("MessageStatus", status);
    params.put("SmsSid", messageSid);
    params.put("SmsStatus", status);
    params.put("To", to);
    if (status.equals("undelivered") || status.equals("failed")) {
      params.put("ErrorCode", status.equals("failed") ? "30001" : "30003");
    }
    record.payload(params);
    receipts.schedule(
        record, () -> post(callbackUrl, params, sign(authToken, callbackUrl, params)));
  }

  private Mono<Integer> post(String url, Map<String, String> params, String signature) {
    LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    params.forEach(form::add);
    return http.post()
        .uri(URI.create(url))
        .header("X-Twilio-Signature", signature)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(
            response -> response.releaseBody().thenReturn(response.statusCode().value()));
  }

  /** Twilio's webhook signature over the URL and the sorted form parameters. */
  public static String sign(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA1 unavailable", e);
    }
  }

  /** Vonage's receipt words (the sandbox's fault vocabulary) as Twilio's message statuses. */
  static String twilioStatus(String status) {
    return switch (status) {
      case "delivered" -> "delivered";
      case "accepted", "buffered" -> "sent";
      case "rejected" -> "failed";
      default -> "undelivered";
    };
  }
}
