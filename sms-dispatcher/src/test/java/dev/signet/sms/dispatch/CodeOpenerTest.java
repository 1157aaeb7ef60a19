package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.platform.seal.SealBinding;
import dev.signet.sms.template.Gsm7;
import dev.signet.testsupport.SealedCodes;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeOpenerTest {

  private static final byte[] OLD_KEY = new byte[32];
  private static final byte[] NEW_KEY = filled((byte) 7);
  private static final String KEYS =
      "k1:"
          + Base64.getEncoder().encodeToString(OLD_KEY)
          + ",k2:"
          + Base64.getEncoder().encodeToString(NEW_KEY);

  private static final SealBinding BINDING =
      new SealBinding(
          "challenge-a", 1, "+447700900001", "SMS", Instant.parse("2026-12-06T12:10:00Z"));
  private static final int V2 = SealBinding.VERSION;
  private static final int V1 = SealBinding.LEGACY_VERSION;

  @Test
  void opensCodesSealedWithAnyConfiguredKey() throws Exception {
    CodeOpener opener = new CodeOpener(KEYS, false);

    assertThat(opener.open("k1", V2, BINDING, seal(OLD_KEY, BINDING, "123456")))
        .isEqualTo("123456");
    assertThat(opener.open("k2", V2, BINDING, seal(NEW_KEY, BINDING, "987654")))
        .isEqualTo("987654");
  }

  @Test
  void refusesAsTamperedACodeOpenedForAnotherChallengeAttemptNumberChannelOrExpiry()
      throws Exception {
    CodeOpener opener = new CodeOpener(KEYS, true);
    byte[] sealed = seal(OLD_KEY, BINDING, "123456");
    Instant expiry = BINDING.expiresAt();

    for (SealBinding other :
        List.of(
            new SealBinding("challenge-b", 1, "+447700900001", "SMS", expiry),
            new SealBinding("challenge-a", 2, "+447700900001", "SMS", expiry),
            new SealBinding("challenge-a", 1, "+447700900666", "SMS", expiry),
            new SealBinding("challenge-a", 1, "+447700900001", "WHATSAPP", expiry),
            new SealBinding("challenge-a", 1, "+447700900001", "SMS", expiry.plusSeconds(3600)))) {
      assertThatThrownBy(() -> opener.open("k1", V2, other, sealed))
          .as("%s", other)
          .isInstanceOfSatisfying(
              CodeOpener.SealException.class, e -> assertThat(e.tampered()).isTrue())
          .hasMessageNotContaining("123456");
    }
  }

  @Test
  void aNewCodeNeverOpensAsALegacyOneWhateverChallengeIdTheEventClaims() throws Exception {
    CodeOpener opener = new CodeOpener(KEYS, true);
    byte[] sealed = seal(OLD_KEY, BINDING, "123456");
    // Even a challenge id spelling out the version-2 associated data cannot make it open: that
    // data starts with 0xFF, which no UTF-8 text contains.
    String spelled =
        new String(BINDING.associatedData(), java.nio.charset.StandardCharsets.ISO_8859_1);

    for (String claimed : List.of("challenge-a", spelled)) {
      SealBinding downgraded =
          new SealBinding(claimed, 1, "+447700900666", "SMS", BINDING.expiresAt());
      assertThatThrownBy(() -> opener.open("k1", V1, downgraded, sealed))
          .isInstanceOfSatisfying(
              CodeOpener.SealException.class, e -> assertThat(e.tampered()).isTrue());
    }
  }

  @Test
  void legacyCodesOpenOnlyWhileLegacySealsAreAccepted() throws Exception {
    byte[] legacy = sealLegacy(OLD_KEY, "challenge-a", "123456");

    assertThat(new CodeOpener(KEYS, true).open("k1", V1, BINDING, legacy)).isEqualTo("123456");
    assertThatThrownBy(() -> new CodeOpener(KEYS, false).open("k1", V1, BINDING, legacy))
        .isInstanceOfSatisfying(
            CodeOpener.SealException.class, e -> assertThat(e.tampered()).isFalse())
        .hasMessageContaining("legacy");
    // A legacy code presented as a new one does not open either.
    assertThatThrownBy(() -> new CodeOpener(KEYS, true).open("k1", V2, BINDING, legacy))
        .isInstanceOfSatisfying(
            CodeOpener.SealException.class, e -> assertThat(e.tampered()).isTrue());
  }

  @Test
  void refusesUnknownKeysAndVersionsTamperedAndTruncatedBytes() throws Exception {
    CodeOpener opener = new CodeOpener(KEYS, false);
    byte[] sealed = seal(OLD_KEY, BINDING, "123456");
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;

    assertThatThrownBy(() -> opener.open("k9", V2, BINDING, sealed))
        .isInstanceOfSatisfying(
            CodeOpener.SealException.class, e -> assertThat(e.tampered()).isFalse());
    assertThatThrownBy(() -> opener.open("k1", 3, BINDING, sealed))
        .isInstanceOfSatisfying(
            CodeOpener.SealException.class, e -> assertThat(e.tampered()).isFalse());
    assertThatThrownBy(() -> opener.open("k1", V2, BINDING, tampered))
        .isInstanceOfSatisfying(
            CodeOpener.SealException.class, e -> assertThat(e.tampered()).isTrue());
    assertThatThrownBy(() -> opener.open("k1", V2, BINDING, new byte[20]))
        .isInstanceOfSatisfying(
            CodeOpener.SealException.class, e -> assertThat(e.tampered()).isTrue());
  }

  @Test
  void choosesUcs2OnlyForTextsOutsideTheGsmAlphabet() {
    assertThat(Gsm7.isGsm7("Your Signet code is 123456. It expires in 10 minutes.")).isTrue();
    assertThat(Gsm7.isGsm7("Código: 123456 — válido")).isFalse();
    assertThat(Gsm7.isGsm7("認証コード 123456")).isFalse();
  }

  private static byte[] seal(byte[] key, SealBinding binding, String code) {
    return SealedCodes.seal(key, binding.associatedData(), code);
  }

  private static byte[] sealLegacy(byte[] key, String challengeId, String code) {
    return SealedCodes.seal(key, SealBinding.legacyAssociatedData(challengeId), code);
  }

  private static byte[] filled(byte value) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, value);
    return bytes;
  }

  @Test
  void aNumberSealedForOneAttemptOpensForItAndNoOther() {
    CodeOpener opener = new CodeOpener(KEYS, false);

    byte[] sealed = opener.sealNumber("k1", "ch_1:1", "+447700900123");

    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("447700900123");
    assertThat(opener.openNumber("k1", "ch_1:1", sealed)).isEqualTo("+447700900123");
    assertThatThrownBy(() -> opener.openNumber("k1", "ch_1:2", sealed))
        .isInstanceOf(CodeOpener.SealException.class);
    assertThatThrownBy(() -> opener.openNumber("k2", "ch_1:1", sealed))
        .isInstanceOf(CodeOpener.SealException.class);
  }
}
