package dev.signet.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique, valid UK mobile numbers (+4477 and 8 digits) for one run: each request gets its own
 * number, which is how its SMS is matched, and which keeps the per-phone limits out of the way.
 */
final class PhoneNumbers {

  private static final long SPACE = 100_000_000L;
  private final AtomicLong next;

  PhoneNumbers(long seed) {
    this.next = new AtomicLong(Math.floorMod(seed, SPACE / 2));
  }

  String next() {
    long n = next.getAndIncrement();
    if (n >= SPACE) {
      throw new IllegalStateException("phone number space exhausted");
    }
    return String.format("+4477%08d", n);
  }
}
