package dev.signet.challenge.code;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stores codes only as HMAC-SHA-256 under a server key, bound to the challenge id. A leaked
 * database does not reveal codes (a 6-digit code hashed without a key is brute-forced instantly),
 * and the comparison runs in constant time so response timing does not leak how many digits
 * matched.
 */
public final class CodeHasher {

  private final SecretKeySpec key;

  public CodeHasher(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("code HMAC key must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  public byte[] hash(String challengeId, String code) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(challengeId.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(code.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public boolean matches(String challengeId, String candidate, byte[] storedHash) {
    return MessageDigest.isEqual(hash(challengeId, candidate), storedHash);
  }
}
