package dev.signet.challenge.testnumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.config.ChallengeProperties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import reactor.core.publisher.Mono;

class TestNumbersTest {

  private static final ChallengeProperties PROPERTIES =
      new ChallengeProperties(
          null, null, null, null, null, null, null, null, null, null, null, null, null);

  @Test
  void aTestNumberGetsItsFixedCodeAndOtherNumbersARandomOne() {
    TestNumbers numbers =
        new TestNumbers(
            "+447700900999:000000, +447700900998:123456", PROPERTIES, new MockEnvironment());

    assertThat(numbers.code("+447700900999", () -> "random")).isEqualTo("000000");
    assertThat(numbers.code("+447700900998", () -> "random")).isEqualTo("123456");
    assertThat(numbers.code("+447700900997", () -> "random")).isEqualTo("random");
    assertThat(numbers.contains("+447700900999")).isTrue();
    assertThat(numbers.contains("+447700900997")).isFalse();
  }

  @Test
  void perNumberLimitsAreSkippedForTestNumbersOnly() {
    TestNumbers numbers =
        new TestNumbers("+447700900999:000000", PROPERTIES, new MockEnvironment());
    AtomicInteger hits = new AtomicInteger();

    numbers.limited("+447700900999", () -> Mono.fromRunnable(hits::incrementAndGet)).block();
    numbers.limited("+447700900001", () -> Mono.fromRunnable(hits::incrementAndGet)).block();

    assertThat(hits).hasValue(1);
    String first = numbers.sendSlot("+447700900999", "+447700900999|0|1");
    String second = numbers.sendSlot("+447700900999", "+447700900999|0|1");
    assertThat(first).isNotEqualTo(second).doesNotEndWith("|1");
    assertThat(numbers.sendSlot("+447700900001", "+447700900001|0|1"))
        .isEqualTo("+447700900001|0|1");
  }

  @Test
  void theProductionProfileRefusesToStartWithTestNumbers() {
    MockEnvironment production = new MockEnvironment();
    production.setActiveProfiles("production");

    assertThatThrownBy(() -> new TestNumbers("+447700900999:000000", PROPERTIES, production))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_TEST_NUMBERS")
        .hasMessageContaining("production");
    assertThat(new TestNumbers("", PROPERTIES, production).contains("+447700900999")).isFalse();
  }

  @Test
  void malformedEntriesAreRefusedWithTheExpectedFormat() {
    assertThatThrownBy(
            () -> new TestNumbers("07700900999:000000", PROPERTIES, new MockEnvironment()))
        .hasMessageContaining("+E164:code");
    assertThatThrownBy(() -> new TestNumbers("+447700900999:12", PROPERTIES, new MockEnvironment()))
        .hasMessageContaining("6 digits");
    assertThatThrownBy(() -> new TestNumbers("+447700900999", PROPERTIES, new MockEnvironment()))
        .hasMessageContaining("6 digits");
  }
}
