package dev.signet.challenge.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpKeyTest {

  @Test
  void anIpv4AddressCountsAsItself() {
    assertThat(IpKey.of("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(IpKey.of(" 203.0.113.7 ")).isEqualTo("203.0.113.7");
    assertThat(IpKey.of("203.0.113.8")).isNotEqualTo(IpKey.of("203.0.113.7"));
  }

  @Test
  void everyAddressOfOneIpv6Slash64SharesOneKey() {
    String key = IpKey.of("2001:db8:1:2::1");
    assertThat(key).isEqualTo("2001:db8:1:2::/64");
    assertThat(IpKey.of("2001:0db8:0001:0002:abcd:ef01:2345:6789")).isEqualTo(key);
    assertThat(IpKey.of("[2001:DB8:1:2:ffff:ffff:ffff:ffff]")).isEqualTo(key);
    assertThat(IpKey.of("2001:db8:1:2::9%eth0")).isEqualTo(key);
    assertThat(IpKey.of("2001:db8:1:3::1")).isNotEqualTo(key);
    assertThat(IpKey.of("::1")).isEqualTo("0:0:0:0::/64");
  }

  @Test
  void anIpv4MappedIpv6AddressCountsAsTheIpv4Address() {
    assertThat(IpKey.of("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test
  void textThatIsNoAddressStillSharesOneCounterAndIsNeverLookedUp() {
    assertThat(IpKey.of("evil.example")).isEqualTo("text:evil.example");
    assertThat(IpKey.of("EVIL.example ")).isEqualTo("text:evil.example");
    assertThat(IpKey.of("300.1.1.1")).isEqualTo("text:300.1.1.1");
    assertThat(IpKey.of("1:2:3")).startsWith("text:");
    assertThat(IpKey.of(null)).isNull();
    assertThat(IpKey.of("  ")).isNull();
  }
}
