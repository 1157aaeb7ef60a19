package dev.signet.challenge.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.platform.seal.SealBinding;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
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

  private static final SealBinding BINDING =
      new SealBinding(
          "challenge-a", 1, "+447700900001", "SMS", Instant.parse("2026-12-06T12:10:00.123Z"));

  @Test
  void sealedCodeOpensOnlyForTheSameChallengeAttemptNumberChannelAndExpiry() throws Exception {
    CodeSealer sealer = new CodeSealer(KEYS, "k1", new SecureRandom());
    byte[] sealed = sealer.seal(BINDING, "654321");

    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("654321");
    assertThat(open(sealed, BINDING.associatedData())).isEqualTo("654321");
    for (SealBinding other :
        List.of(
            new SealBinding("challenge-b", 1, "+447700900001", "SMS", BINDING.expiresAt()),
            new SealBinding("challenge-a", 2, "+447700900001", "SMS", BINDING.expiresAt()),
            new SealBinding("challenge-a", 1, "+447700900002", "SMS", BINDING.expiresAt()),
            new SealBinding("challenge-a", 1, "+447700900001", "WHATSAPP", BINDING.expiresAt()),
            new SealBinding(
                "challenge-a", 1, "+447700900001", "SMS", BINDING.expiresAt().plusMillis(1)))) {
      assertThatThrownBy(() -> open(sealed, other.associatedData()))
          .as("%s", other)
          .isInstanceOf(AEADBadTagException.class);
    }
    // Nor under the binding of earlier versions, the challenge id alone.
    assertThatThrownBy(() -> open(sealed, SealBinding.legacyAssociatedData("challenge-a")))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void theBindingEncodingIsCanonicalVersionedAndUnambiguous() {
    byte[] encoded = BINDING.associatedData();

    assertThat(encoded[0]).isEqualTo((byte) 0xFF);
    assertThat(encoded[1]).isEqualTo((byte) SealBinding.VERSION);
    assertThat(encoded).isEqualTo(BINDING.associatedData());
    assertThat(
            HexFormat.of()
                .formatHex(
                    new SealBinding("c", 2, "+4", "SMS", Instant.ofEpochMilli(258))
                        .associatedData()))
        .isEqualTo(
            "ff02"
                + "0000000163"
                + "00000002"
                + "000000022b34"
                + "00000003534d53"
                + "0000000000000102");
    // Moving characters between fields changes the encoding (lengths delimit every field).
    assertThat(new SealBinding("ab", 1, "+1", "SMS", Instant.EPOCH).associatedData())
        .isNotEqualTo(new SealBinding("a", 1, "b+1", "SMS", Instant.EPOCH).associatedData());
  }

  @Test
  void sealingTheSameCodeTwiceGivesDifferentBytes() {
    CodeSealer sealer = new CodeSealer(KEYS, "k1", new SecureRandom());
    assertThat(sealer.seal(BINDING, "111111")).isNotEqualTo(sealer.seal(BINDING, "111111"));
  }

  @Test
  void refusesAnActiveKeyThatIsNotConfigured() {
    assertThatThrownBy(() -> new CodeSealer(KEYS, "k2", new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String open(byte[] sealed, byte[] associatedData) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(KEY, "AES"),
        new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 0, 12)));
    cipher.updateAAD(associatedData);
    return new String(cipher.doFinal(sealed, 12, sealed.length - 12));
  }
}
