package dev.signet.rules.decision;

import dev.signet.rules.config.RulesProperties;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The small pool of threads on which a decision's independent MongoDB reads and writes run side by
 * side while the listener thread waits for them: four per decision listener thread, enough for the
 * rules, the action's own signals and the speculative signal reads of every listener at once.
 */
@Component
class DecisionReads implements AutoCloseable {

  private final ExecutorService pool;

  DecisionReads(RulesProperties properties) {
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            4 * Math.max(1, properties.decisionConcurrency()),
            work -> {
              Thread thread = new Thread(work, "decision-read-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  Executor executor() {
    return pool;
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
