package dev.signet.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void controlCharactersBecomeVisibleEscapes() {
    assertThat(LogText.escape("id\r\n2026-12-06 INFO forged\u0000\u2028"))
        .isEqualTo("id\\r\\n2026-12-06 INFO forged\\u0000\\u2028");
  }

  @Test
  void plainTextIsReturnedAsItIs() {
    String plain = "abc-123_./";
    assertThat(LogText.escape(plain)).isSameAs(plain);
    assertThat(LogText.escape(null)).isNull();
  }
}
