package dev.signet.rules.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes what no decision can read any more. The embedded MongoDB-wire server has no TTL expiry,
 * so retention is a periodic delete: timed signals after the longest rule window (30 days, plus a
 * day of slack; the pumping guard's traffic too), stored decisions after the tracked-action topic's
 * retention (7 days, plus a day), devices a year after they were last seen.
 */
@Component
public class SignalRetention {

  static final Duration SIGNALS = Duration.ofDays(31);
  static final Duration DECISIONS = Duration.ofDays(8);
  static final Duration DEVICES = Duration.ofDays(365);
  private static final Logger log = LoggerFactory.getLogger(SignalRetention.class);

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  SignalRetention(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  void scheduled() {
    prune().block(Duration.ofMinutes(5));
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
