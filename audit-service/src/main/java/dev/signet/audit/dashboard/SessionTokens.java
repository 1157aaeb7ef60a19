package dev.signet.audit.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, self-contained session tokens for the dashboard cookie: {@code
 * v1.<operator>.<expiresEpochSecond>.<hmac>}. Stateless, so every audit-service instance accepts
 * every other's sign-in; the HMAC key is derived from the management secret, so a token cannot be
 * forged without it and rotating the secret ends every session. The operator name is the one typed
 * at sign-in and is what review decisions record as "who".
 */
final class SessionTokens {

  /** Printable names without control characters; what an operator types as "your name". */
  static final Pattern OPERATOR = Pattern.compile("^[^\\p{Cntrl}]{1,64}$");

  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] key;
  private final Duration ttl;
  private final Clock clock;

  /** An operator signed in until {@code expiresAt}. */
  record Session(String operator, Instant expiresAt) {}

  SessionTokens(String managementSecret, Duration ttl, Clock clock) {
    if (managementSecret == null || managementSecret.isBlank()) {
      throw new IllegalStateException(
          "signet.dashboard.management-secret (SIGNET_MANAGEMENT_SECRET) must be configured");
    }
    this.key = sha256("signet-dashboard-session\n" + managementSecret);
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A token for this operator, valid for the configured lifetime from now. */
  String issue(String operator) {
    long expires = clock.instant().plus(ttl).getEpochSecond();
    String payload =
        VERSION
            + "."
            + B64.encodeToString(operator.getBytes(StandardCharsets.UTF_8))
            + "."
            + expires;
    return payload + "." + B64.encodeToString(hmac(payload));
  }

  /** The session the token proves, or empty when it is malformed, forged or expired. */
  Optional<Session> verify(String token) {
    if (token == null || token.length() > 512) {
      return Optional.empty();
    }
    int lastDot = token.lastIndexOf('.');
    if (lastDot < 0) {
      return Optional.empty();
    }
    String payload = token.substring(0, lastDot);
    byte[] signature;
    try {
      signature = B64D.decode(token.substring(lastDot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Signature first, in constant time: nothing of the payload is trusted before it matches.
    if (!MessageDigest.isEqual(hmac(payload), signature)) {
      return Optional.empty();
    }
    String[] parts = payload.split("\\.", -1);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      String operator = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
      Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[2]));
      if (!clock.instant().isBefore(expiresAt) || !OPERATOR.matcher(operator).matches()) {
        return Optional.empty();
      }
      return Optional.of(new Session(operator, expiresAt));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Constant-time comparison of a typed secret with the management secret. */
  boolean matchesSecret(String candidate, String managementSecret) {
    return candidate != null && MessageDigest.isEqual(sha256(candidate), sha256(managementSecret));
  }

  Duration ttl() {
    return ttl;
  }

  private byte[] hmac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
