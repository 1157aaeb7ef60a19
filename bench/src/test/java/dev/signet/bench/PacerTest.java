package dev.signet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

  /** A clock that only moves when the pacer parks, recording every park. */
  static final class FakeTime implements Pacer.TimeSource {
    long now;
    final List<Long> parks = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void parkNanos(long nanos) {
      parks.add(nanos);
      // Parking may wake early, as LockSupport.parkNanos may: advance only half the way.
      now += Math.max(1, nanos / 2);
    }
  }

  @Test
  void parksUntilTheIntendedStartAndNeverSpinsWithoutParking() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(time);

    long returned = pacer.awaitUntil(1_000_000);

    assertThat(returned).isGreaterThanOrEqualTo(1_000_000);
    assertThat(time.parks).isNotEmpty().allSatisfy(p -> assertThat(p).isPositive());
    // Every loop iteration parks: the number of clock reads is bounded by the number of parks.
    assertThat(time.parks.size()).isLessThan(40);
  }

  @Test
  void returnsAtOnceWhenTheIntendedStartHasPassed() {
    FakeTime time = new FakeTime();
    time.now = 5_000;
    Pacer pacer = new Pacer(time);

    assertThat(pacer.awaitUntil(1_000)).isEqualTo(5_000);
    assertThat(time.parks).isEmpty();
  }

  @Test
  void scheduleSpacesRequestsEvenlyFromTheStartWhateverTheirLatency() {
    ArrivalSchedule schedule = ArrivalSchedule.of(1_000, 200, java.time.Duration.ofSeconds(3));

    assertThat(schedule.count()).isEqualTo(600);
    assertThat(schedule.intendedNanos(0)).isEqualTo(1_000);
    assertThat(schedule.intendedNanos(1)).isEqualTo(1_000 + 5_000_000);
    assertThat(schedule.intendedNanos(599)).isEqualTo(1_000 + 599 * 5_000_000L);
    assertThat(schedule.endNanos()).isEqualTo(1_000 + 3_000_000_000L);
  }

  @Test
  void fractionalRatesDoNotDriftOverALongPhase() {
    ArrivalSchedule schedule = ArrivalSchedule.of(0, 3, java.time.Duration.ofSeconds(600));

    assertThat(schedule.count()).isEqualTo(1_800);
    assertThat(schedule.intendedNanos(1_800)).isEqualTo(600_000_000_000L);
  }
}
