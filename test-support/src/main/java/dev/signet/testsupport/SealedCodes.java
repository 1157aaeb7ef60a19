package dev.signet.testsupport;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.SmsChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Codes sealed as challenge-service seals them (docs/events.md, "Sealed code binding"): AES-GCM
 * with a random 12-byte nonce in front of the ciphertext, the code's context as associated data.
 * Written from the documented format rather than from the service's code, so that the tests, the
 * end-to-end harness and the benchmarks that write requested-challenge events of their own check
 * the dispatcher against the contract, not against a copy of itself.
 */
public final class SealedCodes {

  /** How long a challenge written here stays valid, as challenge-service's default. */
  public static final Duration LIFETIME = Duration.ofMinutes(10);

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private SealedCodes() {}

  /** Seals {@code code} under the AES {@code key}, bound to {@code associatedData}. */
  public static byte[] seal(byte[] key, byte[] associatedData, String code) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      new SecureRandom().nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] body = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + body.length).put(nonce).put(body).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The associated data of seal version 2: 0xFF, 0x02, then the challenge id, the attempt, the
   * number, the channel and the expiry (strings length-prefixed UTF-8, the attempt a 4-byte and the
   * expiry an 8-byte big-endian epoch millisecond).
   */
  public static byte[] bindingV2(
      String challengeId, int attempt, String phone, String channel, Instant expiresAt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(2);
    text(out, challengeId);
    out.writeBytes(ByteBuffer.allocate(4).putInt(attempt).array());
    text(out, phone);
    text(out, channel);
    out.writeBytes(ByteBuffer.allocate(8).putLong(expiresAt.toEpochMilli()).array());
    return out.toByteArray();
  }

  private static void text(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  /**
   * The key with id {@code k1} from a {@code SIGNET_SEAL_KEYS} value ({@code id:base64,...}, the
   * key that seals first).
   */
  public static byte[] firstKey(String sealKeys) {
    String first = sealKeys.split(",")[0];
    return Base64.getDecoder().decode(first.substring(first.indexOf(':') + 1));
  }

  /**
   * A first-attempt SMS challenge for a {@code +44} number, as challenge-service publishes it: the
   * code sealed under {@code key} (id {@code k1}) with seal version 2, expiring {@link #LIFETIME}
   * after {@code now}.
   */
  public static ChallengeRequested smsChallenge(
      String challengeId,
      String correlationId,
      String phone,
      String code,
      byte[] key,
      Instant now) {
    Instant expiresAt = now.plus(LIFETIME);
    byte[] sealed =
        seal(key, bindingV2(challengeId, 1, phone, SmsChannel.SMS.name(), expiresAt), code);
    return ChallengeRequested.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setChallengeId(challengeId)
        .setAttempt(1)
        .setPhoneNumber(phone)
        .setChannel(SmsChannel.SMS)
        .setAction("signIn")
        .setExpiresAt(expiresAt)
        .setSealedCode(ByteBuffer.wrap(sealed))
        .setSealVersion(2)
        .setSealKeyId("k1")
        .setCountryCode("GB")
        .setPhoneNumberMasked("+44******" + phone.substring(phone.length() - 4))
        .build();
  }
}
