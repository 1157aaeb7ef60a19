package dev.signet.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpRangeTest {

  @Test
  void parsesLiteralAddressesAndRangesOnly() {
    assertThat(IpRange.parse("192.168.1.0/24")).isPresent();
    assertThat(IpRange.parse("::1")).isPresent();
    assertThat(IpRange.parse("0.0.0.0/0")).isPresent();
    assertThat(IpRange.parse("localhost")).isEmpty();
    assertThat(IpRange.parse("256.1.1.1")).isEmpty();
    assertThat(IpRange.parse("01.1.1.1")).isEmpty();
    assertThat(IpRange.parse("1.1.1")).isEmpty();
    assertThat(IpRange.parse("1.1.1.1/")).isEmpty();
    assertThat(IpRange.parse("::1/129")).isEmpty();
  }

  @Test
  void containsComparesThePrefixBitsOnly() {
    IpRange range = IpRange.parse("192.168.1.77/25").orElseThrow();
    assertThat(range.contains(IpRange.literal("192.168.1.0").orElseThrow())).isTrue();
    assertThat(range.contains(IpRange.literal("192.168.1.127").orElseThrow())).isTrue();
    assertThat(range.contains(IpRange.literal("192.168.1.128").orElseThrow())).isFalse();
    assertThat(range.contains(IpRange.literal("::ffff:192.168.1.1").orElseThrow())).isTrue();
    assertThat(
            IpRange.parse("0.0.0.0/0")
                .orElseThrow()
                .contains(IpRange.literal("8.8.8.8").orElseThrow()))
        .isTrue();
    assertThat(range.contains(IpRange.literal("2001:db8::1").orElseThrow())).isFalse();
  }
}
