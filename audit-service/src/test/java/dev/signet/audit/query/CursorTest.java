package dev.signet.audit.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.platform.web.HttpErrorException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorTest {

  @Test
  void roundTripsAndIsBoundToItsList() {
    Cursor cursor = new Cursor("activities", Instant.parse("2026-11-25T10:00:00.123Z"), "id-1");

    Cursor back = Cursor.decode("activities", cursor.encode());

    assertThat(back).isEqualTo(cursor);
    assertThat(cursor.encode()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
    assertThatThrownBy(() -> Cursor.decode("challenges", cursor.encode()))
        .isInstanceOf(HttpErrorException.class)
        .hasMessageContaining("cursor");
  }

  @Test
  void refusesMalformedCursors() {
    for (String bad :
        new String[] {
          "***",
          "x".repeat(2000),
          encode("activities\n12"),
          encode("activities\nabc\nid"),
          encode("activities\n-1\nid"),
          encode("activities\n99999999999999999\nid"),
          encode("activities\n12\n"),
          encode("activities\n12\nid\nextra")
        }) {
      assertThatThrownBy(() -> Cursor.decode("activities", bad))
          .as(bad)
          .isInstanceOf(HttpErrorException.class);
    }
  }

  private static String encode(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
