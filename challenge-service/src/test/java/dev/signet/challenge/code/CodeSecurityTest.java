package dev.signet.challenge.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CodeSecurityTest {

  private static final byte[] KEY = new byte[32];
  private static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(KEY);

  @Test
  void generatesCodesOfTheRequestedLengthFromDigitsOnly() {
    CodeGenerator generator = new CodeGenerator(new SecureRandom());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String code = generator.next(8);
      assertThat(code).hasSize(8).containsOnlyDigits();
      seen.add(code);
    }
    assertThat(seen).hasSizeGreaterThan(990);
  }

  @Test
  void hashMatchesOnlyTheSameCodeForTheSameChallenge() {
    CodeHasher hasher = new CodeHasher(new byte[32]);
    byte[] stored = hasher.hash("challenge-a", "123456");

    assertThat(hasher.matches("challenge-a", "123456", stored)).isTrue();
    assertThat(hasher.matches("challenge-a", "123457", stored)).isFalse();
    assertThat(hasher.matches("challenge-b", "123456", stored)).isFalse();
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("123456");
  }

  @Test
  void refusesShortHmacKeys() {
    assertThatThrownBy(() -> new CodeHasher(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sealedCodeOpensOnlyWithTheChallengeIdAsAssociatedData() throws Exception {
    CodeSealer sealer = new CodeSealer(KEYS, "k1", new SecureRandom());
    byte[] sealed = sealer.seal("challenge-a", "654321");

    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("654321");
    assertThat(open(sealed, "challenge-a")).isEqualTo("654321");
    assertThatThrownBy(() -> open(sealed, "challenge-b")).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void sealingTheSameCodeTwiceGivesDifferentBytes() {
    CodeSealer sealer = new CodeSealer(KEYS, "k1", new SecureRandom());
    assertThat(sealer.seal("c", "111111")).isNotEqualTo(sealer.seal("c", "111111"));
  }

  @Test
  void refusesAnActiveKeyThatIsNotConfigured() {
    assertThatThrownBy(() -> new CodeSealer(KEYS, "k2", new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String open(byte[] sealed, String challengeId) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(KEY, "AES"),
        new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 0, 12)));
    cipher.updateAAD(challengeId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new String(cipher.doFinal(sealed, 12, sealed.length - 12));
  }
}
