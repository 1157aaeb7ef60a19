package dev.signet.challenge.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opaque refresh tokens: 256 random bits, base64url. Only their SHA-256 is stored, so a copy of the
 * database cannot be replayed as refresh tokens; a plain hash suffices because the input has 256
 * bits of entropy (nothing to guess, no dictionary to precompute).
 */
final class RefreshTokens {

  /** 32 bytes in unpadded base64url. */
  private static final Pattern SHAPE = Pattern.compile("^[A-Za-z0-9_-]{43}$");

  private final SecureRandom random;

  RefreshTokens(SecureRandom random) {
    this.random = random;
  }

  String next() {
    return randomId(32);
  }

  /** A random id of {@code bytes} bytes, base64url without padding. */
  String randomId(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /** Whether {@code token} could be one of ours; anything else is refused without a lookup. */
  static boolean wellFormed(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
