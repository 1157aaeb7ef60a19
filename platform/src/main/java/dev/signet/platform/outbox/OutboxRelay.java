package dev.signet.platform.outbox;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Periodically publishes the events the writers could not (crash, broker down), collection by
 * collection, each document's events in stored order. Passes never overlap. Safe on several
 * instances at once: a duplicate publish carries the same event id and consumers deduplicate.
 */
final class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final Duration PASS_TIMEOUT = Duration.ofMinutes(1);

  private final Outbox outbox;
  private final OutboxSettings settings;
  private volatile Disposable passes;

  OutboxRelay(Outbox outbox, OutboxSettings settings) {
    this.outbox = outbox;
    this.settings = settings;
  }

  synchronized void start() {
    if (passes == null) {
      passes =
          Flux.interval(settings.relayInterval(), settings.relayInterval())
              .onBackpressureDrop()
              .concatMap(tick -> pass(), 1)
              .subscribe();
    }
  }

  synchronized void stop() {
    if (passes != null) {
      passes.dispose();
      passes = null;
    }
  }

  boolean isRunning() {
    return passes != null;
  }

  /** One pass over every outbox collection; emits how many events it published. */
  Mono<Long> pass() {
    return Flux.fromIterable(settings.collections())
        .concatMap(outbox::relayLeftovers)
        .reduce(0L, Long::sum)
        .timeout(PASS_TIMEOUT)
        .doOnNext(
            count -> {
              if (count > 0) {
                log.info("outbox relay published leftovers count={}", count);
              }
            })
        .onErrorResume(
            e -> {
              log.warn("outbox relay failed reason={}", e.toString());
              return Mono.just(0L);
            });
  }
}
