package dev.signet.platform.seal;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seal keys challenge-service seals with and sms-dispatcher opens with, configured alike on
 * both as {@code keyId:base64key,keyId:base64key}. Each key is AES-256; a sealed code is the
 * 12-byte nonce ({@link #NONCE_BYTES}) followed by the AES-GCM ciphertext with its 128-bit tag,
 * under the associated data of its {@link SealBinding}.
 */
public final class SealKeys {

  /** Length of the random nonce that starts every sealed code. */
  public static final int NONCE_BYTES = 12;

  /** Length of the AES-GCM authentication tag, in bits. */
  public static final int TAG_BITS = 128;

  private SealKeys() {}

  /** Parses the key list; every key must be 32 bytes (AES-256). Keeps the configured order. */
  public static Map<String, SecretKeySpec> parse(String keySpec) {
    if (keySpec == null || keySpec.isBlank()) {
      throw new IllegalArgumentException("no seal keys configured");
    }
    Map<String, SecretKeySpec> parsed = new LinkedHashMap<>();
    for (String entry : keySpec.split(",")) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("seal keys must look like keyId:base64key");
      }
      byte[] raw = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
      if (raw.length != 32) {
        throw new IllegalArgumentException("seal keys must be 32 bytes");
      }
      parsed.put(entry.substring(0, colon).trim(), new SecretKeySpec(raw, "AES"));
    }
    return Collections.unmodifiableMap(parsed);
  }
}
