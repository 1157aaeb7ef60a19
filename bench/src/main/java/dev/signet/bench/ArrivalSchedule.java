package dev.signet.bench;

import java.time.Duration;

/**
 * The intended start time of every request of an open-model phase: request {@code i} starts at
 * {@code start + i / rate}, whatever happened to the requests before it. Latency is measured from
 * these times, so a stalled system cannot hide its stall by slowing the load down (coordinated
 * omission).
 */
record ArrivalSchedule(long startNanos, double ratePerSecond, long count) {

  ArrivalSchedule {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
  }

  static ArrivalSchedule of(long startNanos, double ratePerSecond, Duration duration) {
    long count = Math.max(1, Math.round(ratePerSecond * duration.toNanos() / 1e9));
    return new ArrivalSchedule(startNanos, ratePerSecond, count);
  }

  long intendedNanos(long index) {
    return startNanos + Math.round(index * 1e9 / ratePerSecond);
  }

  long endNanos() {
    return intendedNanos(count);
  }
}
