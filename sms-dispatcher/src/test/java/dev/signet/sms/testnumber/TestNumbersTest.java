package dev.signet.sms.testnumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sms.config.DispatcherProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class TestNumbersTest {

  private static DispatcherProperties properties(String testNumbers) {
    return new DispatcherProperties(
        null,
        "key",
        "secret",
        null,
        null,
        "k1:AAAA",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        testNumbers,
        null,
        false,
        null,
        null,
        null,
        null);
  }

  @Test
  void configuredNumbersAreTestNumbersWhateverTheirCode() {
    TestNumbers numbers =
        new TestNumbers(
            properties(" +447700900999:000000 , +15005550006:123456"), new MockEnvironment());

    assertThat(numbers.contains("+447700900999")).isTrue();
    assertThat(numbers.contains("+15005550006")).isTrue();
    assertThat(numbers.contains("+447700900998")).isFalse();
    assertThat(numbers.production()).isFalse();
  }

  @Test
  void theProductionProfileRefusesToStartWithTestNumbers() {
    MockEnvironment production = new MockEnvironment();
    production.setActiveProfiles("production");

    assertThatThrownBy(() -> new TestNumbers(properties("+447700900999:000000"), production))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_TEST_NUMBERS")
        .hasMessageContaining("production");
    assertThat(new TestNumbers(properties(""), production).production()).isTrue();
  }

  @Test
  void aMalformedNumberIsRefusedWithTheExpectedFormat() {
    assertThatThrownBy(
            () -> new TestNumbers(properties("07700900999:000000"), new MockEnvironment()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("+E164:code");
  }
}
