package dev.signet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverLimitTest {

  @Test
  void theSlopeIsTheSecondsOfDelayAddedPerSecondOfOverload() {
    // 45/s against 30/s: each second adds 15 messages, 0.5 s of queue at 30/s.
    List<double[]> timeline = new ArrayList<>();
    for (int second = 0; second < 20; second++) {
      timeline.add(new double[] {second, 45, 40 + 500.0 * second, 0, 0});
    }
    assertThat(OverLimit.slope(timeline)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aFlatDelayHasNoSlopeAndOneSecondHasNone() {
    List<double[]> flat = List.of(new double[] {0, 1, 20, 0, 0}, new double[] {1, 1, 20, 0, 0});
    assertThat(OverLimit.slope(flat)).isZero();
    assertThat(OverLimit.slope(List.of(new double[] {0, 1, 20, 0, 0}))).isNaN();
  }
}
