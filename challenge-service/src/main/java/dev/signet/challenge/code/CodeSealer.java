package dev.signet.challenge.code;

import dev.signet.platform.seal.SealBinding;
import dev.signet.platform.seal.SealKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a code with AES-256-GCM for the dispatcher alone, so the code never crosses Kafka in clear.
 * The associated data is the {@link SealBinding} of the send (challenge id, attempt, phone number,
 * channel, expiry): whoever can write to the topic cannot re-publish the event with their own
 * number, another attempt or a later expiry and have the dispatcher text them the code, since it
 * would not open. Output layout: see {@link SealKeys}.
 */
public final class CodeSealer {

  private final Map<String, SecretKeySpec> keys;
  private final String activeKeyId;
  private final SecureRandom random;

  public CodeSealer(String keySpec, String activeKeyId, SecureRandom random) {
    this.keys = SealKeys.parse(keySpec);
    if (!keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "active seal key id '" + activeKeyId + "' is not configured");
    }
    this.activeKeyId = activeKeyId;
    this.random = random;
  }

  public String activeKeyId() {
    return activeKeyId;
  }

  /** The code sealed for exactly this send, under {@link SealBinding#VERSION}. */
  public byte[] seal(SealBinding binding, String code) {
    byte[] nonce = new byte[SealKeys.NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          keys.get(activeKeyId),
          new GCMParameterSpec(SealKeys.TAG_BITS, nonce));
      cipher.updateAAD(binding.associatedData());
      byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(SealKeys.NONCE_BYTES + sealed.length)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }
}
