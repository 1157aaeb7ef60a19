package dev.signet.sms.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every dispatcher setting has its default in the record, and a zero that cannot work is refused.
 */
class DispatcherPropertiesTest {

  private static DispatcherProperties properties(
      Duration vonageTimeout, Duration sweepInterval, boolean acceptLegacySeal) {
    return new DispatcherProperties(
        null,
        "key",
        "secret",
        null,
        vonageTimeout,
        "k1:x",
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
        null,
        "management",
        acceptLegacySeal,
        sweepInterval,
        null,
        null,
        null);
  }

  @Test
  void unsetSettingsTakeTheirDocumentedDefaults() {
    DispatcherProperties p = properties(null, null, false);

    assertThat(p.staleClaimSweepInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.vonageTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.acceptLegacySeal()).isFalse();
    assertThat(p.managementSecret()).isEqualTo("management");
    assertThat(p.relayInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.relayGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.outboxAckInterval()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aZeroSweepIntervalOrTimeoutIsRefused() {
    assertThatThrownBy(() -> properties(null, Duration.ZERO, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stale-claim-sweep-interval");
    assertThatThrownBy(() -> properties(Duration.ZERO, null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vonage-timeout");
  }
}
