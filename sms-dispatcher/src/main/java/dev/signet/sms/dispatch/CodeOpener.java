package dev.signet.sms.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens codes that challenge-service sealed with AES-256-GCM for the dispatcher. The challenge id
 * is the associated data, so a sealed code only opens for the challenge it was issued for. The
 * opened code lives only long enough to render the message.
 */
public final class CodeOpener {

  private static final int NONCE_BYTES = 12;

  private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

  public CodeOpener(String keySpec) {
    if (keySpec == null || keySpec.isBlank()) {
      throw new IllegalArgumentException("no seal keys configured");
    }
    for (String entry : keySpec.split(",")) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("seal keys must look like keyId:base64key");
      }
      byte[] raw = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
      if (raw.length != 32) {
        throw new IllegalArgumentException("seal keys must be 32 bytes");
      }
      keys.put(entry.substring(0, colon).trim(), new SecretKeySpec(raw, "AES"));
    }
  }

  /**
   * Returns the code, or throws {@link SealException} when the key is unknown or the sealed bytes
   * were not made for this challenge.
   */
  public String open(String keyId, String challengeId, byte[] sealed) {
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new SealException("unknown seal key id " + keyId);
    }
    if (sealed.length <= NONCE_BYTES + 16) {
      throw new SealException("sealed code too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 0, NONCE_BYTES)));
      cipher.updateAAD(challengeId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new SealException("sealed code does not open for this challenge");
    }
  }

  /** A sealed code that cannot be opened: a permanent failure, never retried. */
  public static final class SealException extends RuntimeException {
    SealException(String message) {
      super(message, null, false, false);
    }
  }
}
