package dev.signet.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreshPhoneNumbersTest {

  @Test
  void twentyThousandFreshNumbersAreDistinctAndAboveTheNumbersOtherTestsName() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String number = Sandbox.freshPhoneNumber();
      assertThat(number).matches("\\+4477009[3-9]\\d{4}");
      assertThat(seen.add(number)).as("%s handed out twice, after %d others", number, i).isTrue();
    }
  }
}
