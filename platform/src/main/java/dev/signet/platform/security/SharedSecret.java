package dev.signet.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A configured secret that requests present (the API secret, the management secret). It is compared
 * in constant time over SHA-256 digests, so neither its content nor its length leaks through
 * timing.
 */
public final class SharedSecret {

  private final byte[] digest;

  private SharedSecret(byte[] digest) {
    this.digest = digest;
  }

  /**
   * @param setting the property and environment variable that configure it, for the start-up error
   * @throws IllegalStateException when the secret is missing, blank, or an unresolved {@code
   *     ${VARIABLE}} placeholder (configuration binding keeps an unset variable's placeholder as
   *     literal text, which anyone can read in application.yml): a service never starts open
   */
  public static SharedSecret of(String value, String setting) {
    if (value == null || value.isBlank() || value.contains("${")) {
      throw new IllegalStateException(setting + " must be configured");
    }
    return new SharedSecret(sha256(value));
  }

  /** True when {@code candidate} is the secret; constant time for any candidate. */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(sha256(candidate), digest);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
