package dev.signet.rules.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes what no decision can read any more. The embedded MongoDB-wire server has no TTL expiry,
 * so retention is a periodic delete: timed signals after the longest rule window (30 days, plus a
 * day of slack; the pumping guard's traffic too), stored decisions after the tracked-action topic's
 * retention (7 days, plus a day), devices a year after they were last seen. The prune runs every
 * hour from five minutes after start, as a reactive loop disposed on shutdown; a tick that comes
 * while one still runs is dropped.
 */
@Component
public class SignalRetention implements SmartLifecycle {

  static final Duration SIGNALS = Duration.ofDays(31);
  static final Duration DECISIONS = Duration.ofDays(8);
  static final Duration DEVICES = Duration.ofDays(365);
  private static final Logger log = LoggerFactory.getLogger(SignalRetention.class);

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;
  private Disposable loop;

  SignalRetention(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    loop =
        Flux.interval(Duration.ofMinutes(5), Duration.ofHours(1))
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    prune()
                        .timeout(Duration.ofMinutes(5))
                        .onErrorResume(
                            e -> {
                              log.warn("signal retention failed reason={}", e.toString());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public synchronized void stop() {
    if (loop != null) {
      loop.dispose();
      loop = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }

  /** Deletes expired documents; emits how many were deleted. */
  public Mono<Long> prune() {
    return Mono.zip(
            delete(SignalStore.ACTIONS, "at", SIGNALS),
            delete(SignalStore.CHALLENGES, "at", SIGNALS),
            delete(SignalStore.DEVICES, "lastSeenAt", DEVICES),
            delete("decisions", "occurredAt", DECISIONS),
            delete(SendTrafficStore.TRAFFIC, "at", SIGNALS),
            delete(SignalStore.DELIVERIES, "at", SIGNALS))
        .map(t -> t.getT1() + t.getT2() + t.getT3() + t.getT4() + t.getT5() + t.getT6())
        .doOnNext(n -> log.info("signal retention deleted={}", n));
  }

  private Mono<Long> delete(String collection, String field, Duration age) {
    Date cutoff = Date.from(clock.instant().minus(age));
    return mongo
        .remove(Query.query(Criteria.where(field).lt(cutoff)), collection)
        .map(r -> r.getDeletedCount());
  }
}
