package dev.signet.sandbox.receipt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bearer token Vonage puts on signed Messages API webhooks: an HS256 JWT keyed by the signature
 * secret whose {@code payload_hash} claim is the hex SHA-256 of the exact body, so a receiver can
 * check both origin and integrity (the SDK's {@code com.vonage.jwt.Jwt.verifySignature} checks the
 * signature).
 */
final class WebhookJwt {

  private WebhookJwt() {}

  static String sign(
      JsonMapper json,
      String body,
      String secret,
      long issuedAtSeconds,
      String jti,
      String apiKey,
      String applicationId) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iat", issuedAtSeconds);
    claims.put("jti", jti);
    claims.put("iss", "Vonage");
    claims.put("payload_hash", sha256Hex(body));
    if (apiKey != null) {
      claims.put("api_key", apiKey);
    }
    if (applicationId != null) {
      claims.put("application_id", applicationId);
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(json.writeValueAsBytes(claims));
    String signingInput = header + "." + payload;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput
          + "."
          + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks HmacSHA256", e);
    }
  }

  static String sha256Hex(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks SHA-256", e);
    }
  }
}
