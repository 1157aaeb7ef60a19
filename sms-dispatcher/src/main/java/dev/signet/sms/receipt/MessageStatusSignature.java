package dev.signet.sms.receipt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies the signature Vonage puts on Messages API status webhooks (WhatsApp): a bearer JWT
 * signed HS256 with the signature secret whose {@code payload_hash} claim is the hex SHA-256 of the
 * exact body. The token's signature and the body hash are compared in constant time, only HS256 is
 * accepted (never {@code none}), and {@code iat} must be within the allowed skew of now.
 */
final class MessageStatusSignature {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SecretKeySpec key;
  private final Duration maxSkew;

  MessageStatusSignature(String secret, Duration maxSkew) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.maxSkew = maxSkew;
  }

  ReceiptSignature.Verdict verify(String authorization, String body, Instant now) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return ReceiptSignature.Verdict.MISSING;
    }
    String[] parts = authorization.substring(7).trim().split("\\.", -1);
    if (parts.length != 3) {
      return ReceiptSignature.Verdict.INVALID;
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      if (!"HS256".equals(header.path("alg").asString(""))) {
        return ReceiptSignature.Verdict.INVALID;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] expected =
          mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!MessageDigest.isEqual(expected, b64.decode(parts[2]))) {
        return ReceiptSignature.Verdict.INVALID;
      }
      JsonNode claims = JSON.readTree(b64.decode(parts[1]));
      byte[] bodyHash =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(body.getBytes(StandardCharsets.UTF_8)))
              .getBytes(StandardCharsets.US_ASCII);
      byte[] claimed =
          claims
              .path("payload_hash")
              .asString("")
              .toLowerCase()
              .getBytes(StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(bodyHash, claimed)) {
        return ReceiptSignature.Verdict.INVALID;
      }
      if (!claims.path("iat").canConvertToLong()) {
        return ReceiptSignature.Verdict.INVALID;
      }
      long skew = Math.abs(now.toEpochMilli() - claims.path("iat").asLong() * 1000);
      return skew > maxSkew.toMillis()
          ? ReceiptSignature.Verdict.STALE
          : ReceiptSignature.Verdict.VALID;
    } catch (IllegalArgumentException | JacksonException e) {
      return ReceiptSignature.Verdict.INVALID;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 or SHA-256 unavailable", e);
    }
  }
}
