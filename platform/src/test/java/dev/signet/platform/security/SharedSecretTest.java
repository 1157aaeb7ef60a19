package dev.signet.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedSecretTest {

  @Test
  void matchesOnlyTheExactSecret() {
    SharedSecret secret = SharedSecret.of("s3cret-value", "signet.x.secret");

    assertThat(secret.matches("s3cret-value")).isTrue();
    assertThat(secret.matches("s3cret-valuE")).isFalse();
    assertThat(secret.matches("s3cret-value ")).isFalse();
    assertThat(secret.matches("")).isFalse();
    assertThat(secret.matches(null)).isFalse();
  }

  @Test
  void refusesToStartWithoutARealSecret() {
    for (String missing : new String[] {null, "", "   ", "${SIGNET_MANAGEMENT_SECRET}"}) {
      assertThatThrownBy(() -> SharedSecret.of(missing, "signet.x.secret (SIGNET_X)"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("signet.x.secret (SIGNET_X) must be configured");
    }
  }
}
