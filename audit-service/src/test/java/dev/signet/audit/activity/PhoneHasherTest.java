package dev.signet.audit.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PhoneHasherTest {

  @Test
  void normalisesCommonNotationsToE164AndRefusesWhatIsNotAnInternationalNumber() {
    assertThat(PhoneHasher.normalise("+44 7700 900123")).contains("+447700900123");
    assertThat(PhoneHasher.normalise("0044 (7700) 900-123")).contains("+447700900123");
    assertThat(PhoneHasher.normalise("+447700900123")).contains("+447700900123");
    assertThat(PhoneHasher.normalise("07700900123")).isEmpty();
    assertThat(PhoneHasher.normalise("+1")).isEmpty();
    assertThat(PhoneHasher.normalise("{\"$ne\":null}")).isEmpty();
    assertThat(PhoneHasher.normalise("")).isEmpty();
    assertThat(PhoneHasher.normalise("+4".repeat(30))).isEmpty();
  }

  @Test
  void theHashIsKeyedStableAndNotThePlainDigest() {
    PhoneHasher a = new PhoneHasher("key-a-with-sixteen-bytes".getBytes(StandardCharsets.UTF_8));
    PhoneHasher b = new PhoneHasher("key-b-with-sixteen-bytes".getBytes(StandardCharsets.UTF_8));

    assertThat(a.hash("+447700900123")).isEqualTo(a.hash("+447700900123")).hasSize(64);
    assertThat(a.hash("+447700900123")).isNotEqualTo(b.hash("+447700900123"));
    assertThat(a.hash("+447700900123")).isNotEqualTo(a.hash("+447700900124"));
    assertThatThrownBy(() -> new PhoneHasher(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
