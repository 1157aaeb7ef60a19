package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.web.ApiException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserPatchTest {

  @Test
  void distinguishesAbsentFromNull() {
    Map<String, Object> body = new HashMap<>();
    body.put("email", null);

    UserPatch patch = UserPatch.from(body);

    assertThat(patch.has("email")).isTrue();
    assertThat(patch.get("email")).isNull();
    assertThat(patch.has("username")).isFalse();
  }

  @Test
  void dropsUnknownFields() {
    UserPatch patch = UserPatch.from(Map.of("verified", true, "isEnrolled", true, "_id", "x"));

    assertThat(patch.has("verified")).isFalse();
    assertThat(patch.has("isEnrolled")).isFalse();
    assertThat(patch.has("_id")).isFalse();
  }

  @Test
  void normalisesPhoneNumbersToE164() {
    UserPatch patch = UserPatch.from(Map.of("phoneNumber", "+44 (7400) 123-456"));

    assertThat(patch.get("phoneNumber")).isEqualTo("+447400123456");
    assertThat(patch.phone().region()).isEqualTo("GB");
  }

  @Test
  void keepsCustomPrimitivesAndWidensIntegers() {
    UserPatch patch =
        UserPatch.from(Map.of("custom", Map.of("n", 3, "d", 1.5, "b", true, "s", "x")));

    @SuppressWarnings("unchecked")
    Map<String, Object> custom = (Map<String, Object>) patch.get("custom");
    assertThat(custom).containsEntry("n", 3L).containsEntry("d", 1.5).containsEntry("b", true);
  }

  @Test
  void refusesWhatStorageMustNeverSee() {
    List<Map<String, Object>> bad =
        List.of(
            Map.of("email", Map.of("$ne", "")),
            Map.of("custom", Map.of("$where", "1")),
            Map.of("custom", Map.of("a.b", 1)),
            Map.of("custom", Map.of("big", new BigInteger("123456789012345678901234567890"))),
            Map.of("custom", Map.of("nan", Double.NaN)),
            Map.of("username", "a\u200bb"),
            Map.of("displayName", "\u202eabc"),
            Map.of("locale", "en GB"),
            Map.of("phoneNumberVerified", "true"));
    for (Map<String, Object> body : bad) {
      assertThatThrownBy(() -> UserPatch.from(body))
          .as(body.toString())
          .isInstanceOf(ApiException.class);
    }
  }

  @Test
  void refusesTooManyCustomEntries() {
    Map<String, Object> custom = new HashMap<>();
    for (int i = 0; i <= UserPatch.MAX_CUSTOM_ENTRIES; i++) {
      custom.put("k" + i, i);
    }

    assertThatThrownBy(() -> UserPatch.from(Map.of("custom", custom)))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void visibleAcceptsOrdinaryUnicodeText() {
    assertThat(UserPatch.visible("Zoë Ñandú 山田 😀")).isTrue();
    assertThat(UserPatch.visible("tab\there")).isFalse();
  }
}
