package dev.signet.sms.dispatch;

import dev.signet.platform.seal.SealBinding;
import dev.signet.platform.seal.SealKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens codes that challenge-service sealed with AES-256-GCM for the dispatcher. The associated
 * data is the {@link SealBinding} of the event's own challenge id, attempt, phone number, channel
 * and expiry, so a sealed code only opens for the very send it was issued for: an event
 * re-published with another number, attempt, channel or expiry fails as {@link
 * SealException#tampered() tampered}. Events of earlier producers (seal version 1, bound to the
 * challenge id alone) open only while {@code acceptLegacy} is set, for a rolling upgrade; a
 * version-2 code never opens under the version-1 binding, whatever version a forged event claims
 * (see {@link SealBinding}). The opened code lives only long enough to render the message.
 */
public final class CodeOpener {

  private static final int NONCE_BYTES = SealKeys.NONCE_BYTES;

  /** Associated data prefix of a number sealed at rest: never a code's binding. */
  private static final byte[] NUMBER_CONTEXT =
      "signet.sms.resend-number\0".getBytes(StandardCharsets.UTF_8);

  private final Map<String, SecretKeySpec> keys;
  private final boolean acceptLegacy;
  private final SecureRandom random = new SecureRandom();

  public CodeOpener(String keySpec, boolean acceptLegacy) {
    this.keys = SealKeys.parse(keySpec);
    this.acceptLegacy = acceptLegacy;
  }

  /**
   * Returns the code, or throws {@link SealException}: tampered when the sealed bytes do not open
   * for this binding (or are malformed), not tampered when the key id is unknown, the seal version
   * unknown, or a legacy seal is not accepted.
   */
  public String open(String keyId, int sealVersion, SealBinding binding, byte[] sealed) {
    byte[] associatedData;
    if (sealVersion == SealBinding.VERSION) {
      associatedData = binding.associatedData();
    } else if (sealVersion == SealBinding.LEGACY_VERSION) {
      if (!acceptLegacy) {
        throw new SealException(
            "legacy seal (version 1) refused: set signet.sms.accept-legacy-seal during an upgrade",
            false);
      }
      associatedData = SealBinding.legacyAssociatedData(binding.challengeId());
    } else {
      throw new SealException("unknown seal version " + sealVersion, false);
    }
    SecretKeySpec key = key(keyId);
    if (sealed.length <= NONCE_BYTES + 16) {
      throw new SealException("sealed code too short", true);
    }
    try {
      return decrypt(key, sealed, associatedData);
    } catch (AEADBadTagException e) {
      throw new SealException(
          "sealed code does not open for this challenge, attempt, number, channel and expiry",
          true);
    }
  }

  private SecretKeySpec key(String keyId) {
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new SealException("unknown seal key id " + keyId, false);
    }
    return key;
  }

  /** AES-GCM with the nonce in front; a wrong key, text or associated data fails the tag. */
  private static String decrypt(SecretKeySpec key, byte[] sealed, byte[] associatedData)
      throws AEADBadTagException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(SealKeys.TAG_BITS, Arrays.copyOfRange(sealed, 0, NONCE_BYTES)));
      cipher.updateAAD(associatedData);
      return new String(
          cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Seals the destination number of an attempt for its document, with the key the code came under
   * and the attempt id as associated data: a fallback send needs the number again, and the document
   * keeps it only in this form (a copy moved to another attempt does not open).
   */
  byte[] sealNumber(String keyId, String attemptId, String number) {
    SecretKeySpec key = key(keyId);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(SealKeys.TAG_BITS, nonce));
      cipher.updateAAD(numberContext(attemptId));
      byte[] sealed = cipher.doFinal(number.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Opens a number sealed by {@link #sealNumber} for the same attempt. */
  String openNumber(String keyId, String attemptId, byte[] sealed) {
    SecretKeySpec key = key(keyId);
    if (sealed == null || sealed.length <= NONCE_BYTES + 16) {
      throw new SealException("sealed number too short", true);
    }
    try {
      return decrypt(key, sealed, numberContext(attemptId));
    } catch (AEADBadTagException e) {
      throw new SealException("sealed number does not open for this attempt", true);
    }
  }

  private static byte[] numberContext(String attemptId) {
    byte[] id = attemptId.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(NUMBER_CONTEXT, NUMBER_CONTEXT.length + id.length);
    System.arraycopy(id, 0, out, NUMBER_CONTEXT.length, id.length);
    return out;
  }

  /**
   * A sealed code that cannot be opened: a permanent failure, never retried. {@code tampered} when
   * the event does not match what the code was sealed for (forged or altered in transit).
   */
  public static final class SealException extends RuntimeException {
    private final boolean tampered;

    SealException(String message, boolean tampered) {
      super(message, null, false, false);
      this.tampered = tampered;
    }

    public boolean tampered() {
      return tampered;
    }
  }
}
