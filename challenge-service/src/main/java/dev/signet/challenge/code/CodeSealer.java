package dev.signet.challenge.code;

import dev.signet.platform.seal.SealBinding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a code with AES-256-GCM for the dispatcher alone, so the code never crosses Kafka in clear.
 * The associated data is the {@link SealBinding} of the send (challenge id, attempt, phone number,
 * channel, expiry): whoever can write to the topic cannot re-publish the event with their own
 * number, another attempt or a later expiry and have the dispatcher text them the code, since it
 * would not open. Output layout: 12-byte nonce, then ciphertext with the 16-byte tag.
 */
public final class CodeSealer {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<String, SecretKeySpec> keys;
  private final String activeKeyId;
  private final SecureRandom random;

  public CodeSealer(String keySpec, String activeKeyId, SecureRandom random) {
    this.keys = parseKeys(keySpec);
    if (!keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "active seal key id '" + activeKeyId + "' is not configured");
    }
    this.activeKeyId = activeKeyId;
    this.random = random;
  }

  /** Parses {@code keyId:base64key,keyId:base64key}; every key must be 32 bytes (AES-256). */
  public static Map<String, SecretKeySpec> parseKeys(String keySpec) {
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
    return parsed;
  }

  public String activeKeyId() {
    return activeKeyId;
  }

  /** The code sealed for exactly this send, under {@link SealBinding#VERSION}. */
  public byte[] seal(SealBinding binding, String code) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(binding.associatedData());
      byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }
}
