package dev.signet.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Throughput ceiling by a closed loop: {@code streams} callers each start the next operation as
 * soon as the previous one completes, for a fixed time. Used only for ceilings (how fast can it go
 * at all), never for latency, which the open model measures.
 */
final class Capacity {

  record Result(int streams, double seconds, long completed, long failed) {
    double perSecond() {
      return completed / seconds;
    }
  }

  private Capacity() {}

  static Result measure(int streams, Duration duration, Supplier<CompletableFuture<?>> operation) {
    AtomicLong completed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    CountDownLatch done = new CountDownLatch(streams);
    for (int s = 0; s < streams; s++) {
      loop(operation, end, completed, failed, done);
    }
    try {
      done.await(duration.toSeconds() + 30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(streams, seconds, completed.get(), failed.get());
  }

  private static void loop(
      Supplier<CompletableFuture<?>> operation,
      long end,
      AtomicLong completed,
      AtomicLong failed,
      CountDownLatch done) {
    if (System.nanoTime() - end >= 0) {
      done.countDown();
      return;
    }
    CompletableFuture<?> f;
    try {
      f = operation.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.orTimeout(10, TimeUnit.SECONDS)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null && !Boolean.FALSE.equals(ok)) {
                completed.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
              loop(operation, end, completed, failed, done);
            });
  }
}
