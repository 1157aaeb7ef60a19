package dev.signet.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sandbox.fault.Slow.ClientGone;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

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

  @Test
  void theSlowFaultCarriesItsHoldForTheArmedCountThenSendsAreAnsweredAtOnce() {
    // given
    Slow slow = new Slow(Duration.ofMillis(1500), Slow.ClientGone.DROP);
    faults.arm(new Faults.Scope("vonage", "GB"), FaultMode.SLOW, Optional.empty(), 1, slow);

    // when
    FaultDecision held = faults.next("vonage", "GB");

    // then
    assertThat(held.mode()).isEqualTo(FaultMode.SLOW);
    assertThat(held.slow()).isEqualTo(slow);
    assertThat(faults.next("vonage", "GB")).isEqualTo(FaultDecision.NONE);
    assertThat(faults.state().scoped().get(0).slow()).isNull();
  }

  @Test
  void theSlowFaultCannotBeArmedWithoutAHold() {
    assertThatThrownBy(
            () -> faults.arm(Faults.Scope.ANY, FaultMode.SLOW, Optional.empty(), 1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHeldSendIsCountedWhileHeldAndTakenWhenTheHoldEndsThoughItsClientWentAway() {
    VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
    try {
      // given
      AtomicInteger taken = new AtomicInteger();
      FaultDecision slow =
          new FaultDecision(
              FaultMode.SLOW, Optional.empty(), new Slow(Duration.ofSeconds(2), ClientGone.ACCEPT));
      Disposable client =
          faults
              .hold(
                  slow, "ch_1:1", "+447700900001", () -> Mono.fromSupplier(taken::incrementAndGet))
              .subscribe();
      time.advanceTimeBy(Duration.ofSeconds(1));
      assertThat(faults.state().holds()).isEqualTo(new Holds.State(1, 1, 0, 0));

      // when: the client disconnects during the hold
      client.dispose();
      time.advanceTimeBy(Duration.ofSeconds(1));

      // then
      assertThat(taken).hasValue(1);
      assertThat(faults.state().holds()).isEqualTo(new Holds.State(0, 1, 1, 0));
      assertThat(faults.heldSends())
          .containsExactly(
              new Holds.Send(
                  "ch_1:1",
                  "+447700900001",
                  2000,
                  ClientGone.ACCEPT,
                  Holds.Fate.TAKEN_CLIENT_GONE));
    } finally {
      VirtualTimeScheduler.reset();
    }
  }

  @Test
  void aHeldSendWhoseClientWentAwayIsNeverTakenWhenTheFaultDropsIt() {
    VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
    try {
      // given
      AtomicInteger taken = new AtomicInteger();
      FaultDecision slow =
          new FaultDecision(
              FaultMode.SLOW, Optional.empty(), new Slow(Duration.ofSeconds(2), ClientGone.DROP));
      Disposable client =
          faults
              .hold(
                  slow, "ch_1:1", "+447700900001", () -> Mono.fromSupplier(taken::incrementAndGet))
              .subscribe();
      time.advanceTimeBy(Duration.ofSeconds(1));

      // when
      client.dispose();
      time.advanceTimeBy(Duration.ofSeconds(5));

      // then
      assertThat(taken).hasValue(0);
      assertThat(faults.state().holds()).isEqualTo(new Holds.State(0, 1, 0, 1));
      assertThat(faults.heldSends())
          .extracting(Holds.Send::fate)
          .containsExactly(Holds.Fate.DROPPED);
    } finally {
      VirtualTimeScheduler.reset();
    }
  }

  @Test
  void aHeldSendWhoseClientStaysIsAnsweredOnceWhenTheHoldEnds() {
    VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
    try {
      // given
      AtomicInteger taken = new AtomicInteger();
      AtomicInteger answered = new AtomicInteger();
      FaultDecision slow =
          new FaultDecision(
              FaultMode.SLOW, Optional.empty(), new Slow(Duration.ofSeconds(2), ClientGone.ACCEPT));
      faults
          .hold(slow, "ch_1:1", "+447700900001", () -> Mono.fromSupplier(taken::incrementAndGet))
          .subscribe(answered::set);

      // when
      time.advanceTimeBy(Duration.ofMillis(1999));
      assertThat(answered).hasValue(0);
      time.advanceTimeBy(Duration.ofMillis(1));

      // then
      assertThat(taken).hasValue(1);
      assertThat(answered).hasValue(1);
      assertThat(faults.state().holds()).isEqualTo(new Holds.State(0, 1, 0, 0));
      assertThat(faults.heldSends())
          .extracting(Holds.Send::fate)
          .containsExactly(Holds.Fate.ANSWERED);
    } finally {
      VirtualTimeScheduler.reset();
    }
  }
}
