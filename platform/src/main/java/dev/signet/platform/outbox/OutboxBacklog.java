package dev.signet.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Exports {@code signet.outbox.oldest.age{collection}}: how long the oldest unpublished event of
 * each outbox collection has waited, 0 when none waits. A broker outage or a stuck relay shows here
 * before anything downstream notices the missing events. Measured on its own schedule (one indexed
 * query per collection) because a gauge's callback must not query MongoDB.
 */
public class OutboxBacklog implements SmartLifecycle {

  static final String METER = "signet.outbox.oldest.age";
  private static final Logger log = LoggerFactory.getLogger(OutboxBacklog.class);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;
  private final List<String> collections;
  private final Duration interval;

  /** The oldest pending event's creation per collection; null while none is pending. */
  private final Map<String, AtomicReference<Instant>> oldest = new ConcurrentHashMap<>();

  private volatile Disposable measurements;

  public OutboxBacklog(
      ReactiveMongoTemplate mongo,
      Clock clock,
      OutboxSettings settings,
      Duration interval,
      MeterRegistry meters) {
    this.mongo = mongo;
    this.clock = clock;
    this.collections = settings.collections();
    this.interval = interval;
    for (String collection : collections) {
      AtomicReference<Instant> since = new AtomicReference<>();
      oldest.put(collection, since);
      Gauge.builder(METER, since, this::ageSeconds)
          .description(
              "Age of the oldest event of the collection not yet published to Kafka (0: none)")
          .baseUnit("seconds")
          .tag("collection", collection)
          .register(meters);
    }
  }

  /** Looks up the oldest pending event of every collection once. */
  Mono<Void> measure() {
    return Flux.fromIterable(collections).concatMap(this::measure).then();
  }

  private Mono<Void> measure(String collection) {
    String createdAt = Outbox.FIELD + ".createdAt";
    // Ascending on an array field sorts a document by its smallest element: the document holding
    // the oldest pending event comes first, found through the relay's sparse index.
    Query query =
        Query.query(Criteria.where(createdAt).exists(true))
            .with(Sort.by(Sort.Direction.ASC, createdAt))
            .limit(1);
    query.fields().include(Outbox.FIELD);
    return mongo
        .findOne(query, Document.class, collection)
        .map(OutboxBacklog::oldestOf)
        .map(java.util.Optional::of)
        .defaultIfEmpty(java.util.Optional.empty())
        .timeout(QUERY_TIMEOUT)
        .doOnNext(found -> oldest.get(collection).set(found.orElse(null)))
        .onErrorResume(
            e -> {
              // The last value stays: an unreachable MongoDB is no reason to report an empty
              // backlog, and the database has alerts of its own.
              log.warn(
                  "outbox backlog not measured collection={} reason={}", collection, e.toString());
              return Mono.empty();
            })
        .then();
  }

  @SuppressWarnings("unchecked")
  private static Instant oldestOf(Document doc) {
    List<Document> pending = (List<Document>) doc.getOrDefault(Outbox.FIELD, List.of());
    return pending.stream()
        .map(event -> event.getDate("createdAt"))
        .filter(java.util.Objects::nonNull)
        .map(Date::toInstant)
        .min(Instant::compareTo)
        .orElse(null);
  }

  private double ageSeconds(AtomicReference<Instant> since) {
    Instant created = since.get();
    if (created == null) {
      return 0;
    }
    return Math.max(0, Duration.between(created, clock.instant()).toMillis() / 1000.0);
  }

  @Override
  public synchronized void start() {
    if (measurements == null) {
      measurements =
          Flux.interval(Duration.ZERO, interval)
              .onBackpressureDrop()
              .concatMap(tick -> measure(), 1)
              .subscribe();
    }
  }

  @Override
  public synchronized void stop() {
    if (measurements != null) {
      measurements.dispose();
      measurements = null;
    }
  }

  @Override
  public boolean isRunning() {
    return measurements != null;
  }
}
