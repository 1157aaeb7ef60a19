package dev.signet.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits for an intended start time by parking the thread, never by spinning: the load generator
 * shares two cores with the stack it measures, and a spinning generator would starve it.
 */
final class Pacer {

  /** The clock and the parking primitive, replaceable in tests. */
  interface TimeSource {
    long nanoTime();

    void parkNanos(long nanos);
  }

  static final TimeSource SYSTEM =
      new TimeSource() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void parkNanos(long nanos) {
          LockSupport.parkNanos(nanos);
        }
      };

  private final TimeSource time;

  Pacer(TimeSource time) {
    this.time = time;
  }

  /**
   * Returns at or after {@code targetNanos}; returns at once when the target has passed (a late
   * generator fires immediately and the lateness counts as latency).
   */
  long awaitUntil(long targetNanos) {
    long now = time.nanoTime();
    while (targetNanos - now > 0) {
      time.parkNanos(targetNanos - now);
      now = time.nanoTime();
    }
    return now;
  }

  long nanoTime() {
    return time.nanoTime();
  }
}
