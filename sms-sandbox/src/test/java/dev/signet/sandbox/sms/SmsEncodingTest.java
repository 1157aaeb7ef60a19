package dev.signet.sandbox.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsEncodingTest {

  @Test
  void gsmTextFitsOneHundredSixtyCharactersInOnePartAndOneFiftyThreePerConcatenatedPart() {
    assertThat(SmsEncoding.GSM7.parts("")).isEqualTo(1);
    assertThat(SmsEncoding.GSM7.parts("a".repeat(160))).isEqualTo(1);
    assertThat(SmsEncoding.GSM7.parts("a".repeat(161))).isEqualTo(2);
    assertThat(SmsEncoding.GSM7.parts("a".repeat(306))).isEqualTo(2);
    assertThat(SmsEncoding.GSM7.parts("a".repeat(307))).isEqualTo(3);
  }

  @Test
  void extensionCharactersTakeTwoSeptetsAndAreNeverSplitAcrossParts() {
    assertThat(SmsEncoding.GSM7.parts("€".repeat(80))).isEqualTo(1);
    assertThat(SmsEncoding.GSM7.parts("€".repeat(81))).isEqualTo(2);
    // 152 septets of "a", then "{" (2 septets) would straddle the 153 boundary: it moves to part 2.
    assertThat(SmsEncoding.GSM7.parts("a".repeat(152) + "{" + "a".repeat(152))).isEqualTo(3);
  }

  @Test
  void unicodeTextFitsSeventyUnitsInOnePartAndSixtySevenPerConcatenatedPart() {
    assertThat(SmsEncoding.UCS2.parts("ж".repeat(70))).isEqualTo(1);
    assertThat(SmsEncoding.UCS2.parts("ж".repeat(71))).isEqualTo(2);
    assertThat(SmsEncoding.UCS2.parts("ж".repeat(134))).isEqualTo(2);
    assertThat(SmsEncoding.UCS2.parts("ж".repeat(135))).isEqualTo(3);
  }

  @Test
  void surrogatePairsAreNeverSplit() {
    // 66 units then an emoji (2 units) overflows 67: it opens part 2.
    assertThat(SmsEncoding.UCS2.parts("ж".repeat(66) + "😀" + "ж".repeat(10))).isEqualTo(2);
    assertThat(SmsEncoding.UCS2.parts("😀".repeat(35))).isEqualTo(1);
    assertThat(SmsEncoding.UCS2.parts("😀".repeat(36))).isEqualTo(2);
  }

  @Test
  void detectsWhetherTextNeedsUnicode() {
    assertThat(SmsEncoding.detect("Your Signet code is 123456. Don't share it! €5 {ok}"))
        .isEqualTo(SmsEncoding.GSM7);
    assertThat(SmsEncoding.detect("Ваш код 123456")).isEqualTo(SmsEncoding.UCS2);
    assertThat(SmsEncoding.detect("code 😀")).isEqualTo(SmsEncoding.UCS2);
  }
}
