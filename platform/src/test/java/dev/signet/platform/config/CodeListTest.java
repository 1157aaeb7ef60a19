package dev.signet.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodeListTest {

  @Test
  void trimsUpperCasesAndDropsBlanks() {
    assertThat(CodeList.normalise(List.of(" gb", "US ", " ", ""))).containsExactly("GB", "US");
  }

  @Test
  void unsetIsNone() {
    assertThat(CodeList.normalise(null)).isEmpty();
  }
}
