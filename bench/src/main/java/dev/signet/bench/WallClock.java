package dev.signet.bench;

import java.time.Instant;

/** Maps this JVM's monotonic {@code nanoTime} to wall-clock epoch nanoseconds. */
final class WallClock {

  private final long baseNano;
  private final long baseEpochNanos;

  WallClock() {
    Instant now = Instant.now();
    this.baseNano = System.nanoTime();
    this.baseEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  long epochNanos(long nanoTime) {
    return baseEpochNanos + (nanoTime - baseNano);
  }
}
