package dev.signet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accounts for every scheduled request of a phase: each one ends as exactly one outcome ({@code
 * ok}, a documented error {@code error:<status>:<code>}, {@code timeout}, an I/O failure, an
 * undocumented answer) or as {@code not_sent:<reason>}. A request that is neither is a silent drop
 * and fails the run.
 */
final class Ledger {

  static final String OK = "ok";
  static final String TIMEOUT = "timeout";

  private final AtomicLong scheduled = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

  void scheduled() {
    scheduled.incrementAndGet();
  }

  /** Takes a slot for a request about to be sent, unless {@code max} are already in flight. */
  boolean tryStart(int max) {
    while (true) {
      long current = inFlight.get();
      if (current >= max) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void notSent(String reason) {
    outcomes.computeIfAbsent("not_sent:" + reason, k -> new LongAdder()).increment();
  }

  void completed(String outcome) {
    inFlight.decrementAndGet();
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  long scheduledCount() {
    return scheduled.get();
  }

  long inFlight() {
    return inFlight.get();
  }

  long count(String outcome) {
    LongAdder adder = outcomes.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  long accounted() {
    return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long failures() {
    return accounted() - count(OK);
  }

  Map<String, Long> outcomes() {
    Map<String, Long> copy = new TreeMap<>();
    outcomes.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** Self-check: what does not add up, as sentences; empty when every request is accounted for. */
  List<String> problems(String phase) {
    List<String> problems = new ArrayList<>();
    long unaccounted = scheduled.get() - accounted();
    if (unaccounted != 0) {
      problems.add(
          phase
              + ": "
              + unaccounted
              + " of "
              + scheduled.get()
              + " scheduled requests have no outcome (silent drop)");
    }
    if (inFlight.get() != 0) {
      problems.add(phase + ": " + inFlight.get() + " requests still in flight at the end");
    }
    outcomes()
        .forEach(
            (outcome, n) -> {
              if (outcome.startsWith("undocumented") || outcome.startsWith("unexpected")) {
                problems.add(
                    phase + ": " + n + " answers outside the documented API (" + outcome + ")");
              }
            });
    return problems;
  }
}
