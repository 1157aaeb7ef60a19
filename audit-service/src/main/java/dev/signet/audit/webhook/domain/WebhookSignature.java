package dev.signet.audit.webhook.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Signature-V2} header of a delivery, exactly as Authsignal's server SDKs verify it
 * ({@code new Webhook(apiSecretKey).constructEvent(payload, signature)}): {@code t=<unix
 * seconds>,v2=<signature>}, where the signature is the unpadded standard Base64 of HMAC-SHA256
 * keyed with the API secret over {@code "<t>.<raw body>"}. The timestamp is the time of this
 * attempt, not of the event, so a retry a day later still passes the SDK's five-minute tolerance,
 * while a captured request replayed later than that does not.
 */
public final class WebhookSignature {

  /** The header name Authsignal's documentation tells receivers to read. */
  public static final String HEADER = "X-Signature-V2";

  private WebhookSignature() {}

  /** The header value for {@code payload} (the exact bytes sent) signed at {@code epochSeconds}. */
  public static String header(byte[] secret, long epochSeconds, String payload) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("the signing secret must not be empty");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((epochSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
      // 32 bytes encode to 43 characters and one '=', which the SDK strips before comparing.
      String signature = Base64.getEncoder().withoutPadding().encodeToString(digest);
      return "t=" + epochSeconds + ",v2=" + signature;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
