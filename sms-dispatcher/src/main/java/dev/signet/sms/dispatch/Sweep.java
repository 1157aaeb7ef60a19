package dev.signet.sms.dispatch;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A reactive loop started with the application and disposed when it stops: every {@link
 * #interval()} one {@link #resolve()} runs, and a tick that comes while one still runs is dropped,
 * so sweeps never overlap and no thread waits for one. A failed sweep is logged and the next tick
 * tries again. The first tick comes one interval after start-up, when the collections and their
 * indexes exist.
 */
abstract class Sweep implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Sweep.class);

  private final String name;
  private Disposable sweeps;

  Sweep(String name) {
    this.name = name;
  }

  abstract Duration interval();

  /** One sweep; its value is how many items it handled. */
  abstract Mono<Long> resolve();

  boolean enabled() {
    return true;
  }

  @Override
  public synchronized void start() {
    if (!enabled()) {
      return;
    }
    Duration interval = interval();
    sweeps =
        Flux.interval(interval, interval)
            .onBackpressureDrop()
            .concatMap(tick -> sweep(), 1)
            .subscribe();
  }

  @Override
  public synchronized void stop() {
    if (sweeps != null) {
      sweeps.dispose();
      sweeps = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return sweeps != null;
  }

  private Mono<Long> sweep() {
    return resolve()
        .timeout(Duration.ofMinutes(1))
        .onErrorResume(
            e -> {
              log.warn("{} failed reason={}", name, e.toString());
              return Mono.just(0L);
            });
  }
}
