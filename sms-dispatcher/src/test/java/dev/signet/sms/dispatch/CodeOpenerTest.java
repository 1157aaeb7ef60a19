package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sms.template.Gsm7;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CodeOpenerTest {

  private static final byte[] OLD_KEY = new byte[32];
  private static final byte[] NEW_KEY = filled((byte) 7);
  private static final String KEYS =
      "k1:"
          + Base64.getEncoder().encodeToString(OLD_KEY)
          + ",k2:"
          + Base64.getEncoder().encodeToString(NEW_KEY);

  @Test
  void opensCodesSealedWithAnyConfiguredKey() throws Exception {
    CodeOpener opener = new CodeOpener(KEYS);

    assertThat(opener.open("k1", "challenge-a", seal(OLD_KEY, "challenge-a", "123456")))
        .isEqualTo("123456");
    assertThat(opener.open("k2", "challenge-a", seal(NEW_KEY, "challenge-a", "987654")))
        .isEqualTo("987654");
  }

  @Test
  void refusesACodeSealedForAnotherChallenge() throws Exception {
    CodeOpener opener = new CodeOpener(KEYS);
    byte[] sealed = seal(OLD_KEY, "challenge-a", "123456");

    assertThatThrownBy(() -> opener.open("k1", "challenge-b", sealed))
        .isInstanceOf(CodeOpener.SealException.class)
        .hasMessageNotContaining("123456");
  }

  @Test
  void refusesUnknownKeysTamperedAndTruncatedBytes() throws Exception {
    CodeOpener opener = new CodeOpener(KEYS);
    byte[] sealed = seal(OLD_KEY, "c", "123456");
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;

    assertThatThrownBy(() -> opener.open("k9", "c", sealed))
        .isInstanceOf(CodeOpener.SealException.class);
    assertThatThrownBy(() -> opener.open("k1", "c", tampered))
        .isInstanceOf(CodeOpener.SealException.class);
    assertThatThrownBy(() -> opener.open("k1", "c", new byte[20]))
        .isInstanceOf(CodeOpener.SealException.class);
  }

  @Test
  void choosesUcs2OnlyForTextsOutsideTheGsmAlphabet() {
    assertThat(Gsm7.isGsm7("Your Signet code is 123456. It expires in 10 minutes.")).isTrue();
    assertThat(Gsm7.isGsm7("Código: 123456 — válido")).isFalse();
    assertThat(Gsm7.isGsm7("認証コード 123456")).isFalse();
  }

  private static byte[] seal(byte[] key, String challengeId, String code) throws Exception {
    byte[] nonce = new byte[12];
    new SecureRandom().nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD(challengeId.getBytes(StandardCharsets.UTF_8));
    byte[] body = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.allocate(12 + body.length).put(nonce).put(body).array();
  }

  private static byte[] filled(byte value) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, value);
    return bytes;
  }
}
