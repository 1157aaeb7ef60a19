package dev.signet.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Drives one operation at a constant arrival rate (open model): one pacing thread parks until each
 * request's intended start and starts it without waiting for earlier ones. Latency runs from the
 * intended start to completion. At most {@code maxInFlight} requests are outstanding; a request
 * that would exceed it is recorded as {@code not_sent:client_concurrency_cap}, never silently
 * skipped.
 */
final class OpenLoop {

  /** Starts request {@code index}; completes with an outcome ({@link Ledger#OK} or an error). */
  interface Operation {
    CompletableFuture<String> start(long index, long intendedNanos, int second);
  }

  /** What one phase produced. */
  record Run(
      String name,
      ArrivalSchedule schedule,
      Ledger ledger,
      Latencies latencies,
      long startNanos,
      long lastCompletionNanos) {

    double durationSeconds() {
      return (schedule.endNanos() - schedule.startNanos()) / 1e9;
    }

    /** Successful completions per second over the schedule or until the last completion. */
    double achievedPerSecond() {
      long end = Math.max(schedule.endNanos(), lastCompletionNanos);
      double seconds = (end - schedule.startNanos()) / 1e9;
      return seconds <= 0 ? 0 : ledger.count(Ledger.OK) / seconds;
    }
  }

  private final Pacer pacer;
  private final int maxInFlight;
  private final Duration timeout;

  OpenLoop(Pacer pacer, int maxInFlight, Duration timeout) {
    this.pacer = pacer;
    this.maxInFlight = maxInFlight;
    this.timeout = timeout;
  }

  Run run(
      String name,
      double ratePerSecond,
      Duration duration,
      Operation operation,
      Consumer<Run> progress) {
    long start = pacer.nanoTime() + 20_000_000L;
    ArrivalSchedule schedule = ArrivalSchedule.of(start, ratePerSecond, duration);
    Ledger ledger = new Ledger();
    Latencies latencies = new Latencies();
    long[] lastCompletion = {start};
    Run[] view = {new Run(name, schedule, ledger, latencies, start, start)};
    long nextProgress = start;
    for (long i = 0; i < schedule.count(); i++) {
      long intended = schedule.intendedNanos(i);
      long now = pacer.awaitUntil(intended);
      if (now - nextProgress >= 0) {
        progress.accept(view[0]);
        nextProgress = now + 1_000_000_000L;
      }
      ledger.scheduled();
      if (!ledger.tryStart(maxInFlight)) {
        ledger.notSent("client_concurrency_cap");
        continue;
      }
      int second = (int) ((intended - start) / 1_000_000_000L);
      CompletableFuture<String> future;
      try {
        future = operation.start(i, intended, second);
      } catch (RuntimeException e) {
        future = CompletableFuture.failedFuture(e);
      }
      future
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (outcome, failure) -> {
                long done = System.nanoTime();
                String result = failure == null ? outcome : classify(failure);
                if (Ledger.OK.equals(result)) {
                  latencies.record(second, done - intended);
                }
                synchronized (lastCompletion) {
                  lastCompletion[0] = Math.max(lastCompletion[0], done);
                }
                ledger.completed(result);
              });
    }
    // Wait for the stragglers, parked, until each has completed or timed out.
    long deadline = pacer.nanoTime() + timeout.toNanos() + 2_000_000_000L;
    while (ledger.inFlight() > 0 && pacer.nanoTime() - deadline < 0) {
      pacer.awaitUntil(pacer.nanoTime() + 50_000_000L);
      if (pacer.nanoTime() - nextProgress >= 0) {
        progress.accept(view[0]);
        nextProgress = pacer.nanoTime() + 1_000_000_000L;
      }
    }
    long last;
    synchronized (lastCompletion) {
      last = lastCompletion[0];
    }
    Run run = new Run(name, schedule, ledger, latencies, start, last);
    progress.accept(run);
    return run;
  }

  static String classify(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
      return Ledger.TIMEOUT;
    }
    if (cause instanceof java.io.IOException) {
      return "io_error:" + cause.getClass().getSimpleName();
    }
    return "client_error:" + cause.getClass().getSimpleName();
  }
}
