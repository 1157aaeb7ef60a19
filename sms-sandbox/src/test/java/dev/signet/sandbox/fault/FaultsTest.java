package dev.signet.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultsTest {

  private final Faults faults = new Faults();

  @Test
  void appliesToTheNextCountSendsThenGoesBackToNormal() {
    // given
    faults.arm(FaultMode.THROTTLE, Optional.empty(), 2);

    // when / then
    assertThat(faults.next().mode()).isEqualTo(FaultMode.THROTTLE);
    assertThat(faults.state().remaining()).isEqualTo(1);
    assertThat(faults.next().mode()).isEqualTo(FaultMode.THROTTLE);
    assertThat(faults.next()).isEqualTo(FaultDecision.NONE);
    assertThat(faults.state().mode()).isEqualTo(FaultMode.OK);
    assertThat(faults.state().applied()).isEqualTo(2);
  }

  @Test
  void aNegativeCountLastsUntilReplaced() {
    // given
    faults.arm(FaultMode.ERROR, Optional.empty(), -1);

    // when
    for (int i = 0; i < 5; i++) {
      assertThat(faults.next().mode()).isEqualTo(FaultMode.ERROR);
    }
    faults.arm(FaultMode.OK, Optional.empty(), 0);

    // then
    assertThat(faults.next()).isEqualTo(FaultDecision.NONE);
  }

  @Test
  void carriesAReceiptStatusOverrideForAcceptedMessages() {
    // given
    faults.arm(FaultMode.OK, Optional.of("failed"), 1);

    // when
    FaultDecision decision = faults.next();

    // then
    assertThat(decision.mode()).isEqualTo(FaultMode.OK);
    assertThat(decision.receiptStatus()).contains("failed");
    assertThat(faults.next().receiptStatus()).isEmpty();
  }

  @Test
  void aScopedFaultAppliesOnlyToItsProviderAndCountryAndCountsItsSends() {
    // given
    faults.arm(new Faults.Scope("vonage", "GB"), FaultMode.ERROR, Optional.empty(), -1);
    faults.arm(new Faults.Scope("twilio", null), FaultMode.THROTTLE, Optional.empty(), -1);

    // when / then: the most specific scope wins, other sends are untouched
    assertThat(faults.next("vonage", "GB").mode()).isEqualTo(FaultMode.ERROR);
    assertThat(faults.next("vonage", "DE")).isEqualTo(FaultDecision.NONE);
    assertThat(faults.next("twilio", "GB").mode()).isEqualTo(FaultMode.THROTTLE);
    assertThat(faults.next("vonage", "GB").mode()).isEqualTo(FaultMode.ERROR);
    assertThat(faults.state().scoped())
        .extracting(s -> s.provider() + "/" + s.country() + "=" + s.applied())
        .containsExactly("vonage/GB=2", "twilio/null=1");

    // clearing the unscoped fault clears every scope
    faults.arm(FaultMode.OK, Optional.empty(), 0);
    assertThat(faults.next("vonage", "GB")).isEqualTo(FaultDecision.NONE);
    assertThat(faults.state().scoped()).isEmpty();
  }
}
