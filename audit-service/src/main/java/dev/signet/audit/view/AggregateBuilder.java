package dev.signet.audit.view;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.signet.audit.config.AuditProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the hourly and daily aggregates ({@code aggregates}) up to date. Each bucket is recomputed
 * from the per-challenge views requested in it, never incremented: the figures are a function of
 * the views, so duplicates, reordering, replays and several instances recomputing the same bucket
 * all end in the same numbers. The view builder marks the hours it touched; dirty hours are
 * recomputed every {@code aggregate-interval}, their days at most every {@code
 * daily-aggregate-interval}.
 *
 * <p>Documents: one per granularity, bucket start, country and action, with {@code *} standing for
 * all countries or all actions.
 */
@Component
public class AggregateBuilder implements InitializingBean, DisposableBean {

  public static final String ALL = "*";
  private static final Logger log = LoggerFactory.getLogger(AggregateBuilder.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;
  private final AuditProperties properties;
  private final Set<Instant> dirtyHours = ConcurrentHashMap.newKeySet();
  private final Map<Instant, Instant> dirtyDays = new ConcurrentHashMap<>();
  private final Map<String, Long> notBefore = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();
  private ScheduledExecutorService scheduler;

  AggregateBuilder(ReactiveMongoTemplate mongo, Clock clock, AuditProperties properties) {
    this.mongo = mongo;
    this.clock = clock;
    this.properties = properties;
  }

  public void markDirty(Collection<Instant> hours) {
    dirtyHours.addAll(hours);
  }

  @Override
  public void afterPropertiesSet() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "audit-aggregates");
              t.setDaemon(true);
              return t;
            });
    long every = properties.aggregateInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::safeFlush, every, every, TimeUnit.MILLISECONDS);
  }

  private void safeFlush() {
    try {
      flush(false);
    } catch (RuntimeException e) {
      log.warn("aggregate recompute failed, will retry: {}", e.toString());
    }
  }

  /**
   * Recomputes the dirty hours, and the days due (all dirty days when {@code allDays}). A failed
   * bucket stays dirty.
   */
  public synchronized void flush(boolean allDays) {
    List<Instant> hours = new ArrayList<>(dirtyHours);
    for (Instant hour : hours) {
      if (!allDays && backingOff("hour", hour)) {
        continue;
      }
      generation.incrementAndGet();
      try {
        dirtyHours.remove(hour);
        try {
          timed("hour", hour, hour.plus(1, ChronoUnit.HOURS));
        } catch (RuntimeException e) {
          dirtyHours.add(hour);
          throw e;
        }
        dirtyDays.putIfAbsent(hour.truncatedTo(ChronoUnit.DAYS), clock.instant());
      } finally {
        generation.incrementAndGet();
      }
    }
    Instant now = clock.instant();
    for (Map.Entry<Instant, Instant> day : new ArrayList<>(dirtyDays.entrySet())) {
      if (!allDays
          && (day.getValue().plus(properties.dailyAggregateInterval()).isAfter(now)
              || backingOff("day", day.getKey()))) {
        continue;
      }
      generation.incrementAndGet();
      try {
        dirtyDays.remove(day.getKey());
        try {
          timed("day", day.getKey(), day.getKey().plus(1, ChronoUnit.DAYS));
        } catch (RuntimeException e) {
          dirtyDays.putIfAbsent(day.getKey(), day.getValue());
          throw e;
        }
      } finally {
        generation.incrementAndGet();
      }
    }
  }

  /**
   * A bucket's recompute reads every challenge requested in it, so its cost grows with the traffic:
   * after a recompute that took {@code d}, the same bucket waits at least {@code 10 × d}, which
   * keeps the recomputes under about a tenth of one thread however busy an hour gets.
   */
  private boolean backingOff(String granularity, Instant start) {
    Long next = notBefore.get(granularity + start);
    return next != null && System.nanoTime() - next < 0;
  }

  private void timed(String granularity, Instant from, Instant to) {
    long started = System.nanoTime();
    recompute(granularity, from, to);
    long took = System.nanoTime() - started;
    notBefore.put(granularity + from, System.nanoTime() + 10 * took);
    if (notBefore.size() > 10_000) {
      notBefore.clear();
    }
  }

  /**
   * Whether anything waits to be recomputed (for tests and the lag endpoint). Lock-free (it runs on
   * request threads): a bucket being recomputed is neither dirty nor done, so the answer is only
   * taken when no recompute started or ended while the sets were read (a sequence lock).
   */
  public boolean idle() {
    long before = generation.get();
    boolean empty = dirtyHours.isEmpty() && dirtyDays.isEmpty();
    return before % 2 == 0 && empty && generation.get() == before;
  }

  void recompute(String granularity, Instant from, Instant to) {
    Map<List<String>, BucketStats> buckets = new LinkedHashMap<>();
    mongo
        .getCollection(ViewCollections.CHALLENGES)
        .flatMapMany(
            c ->
                Flux.from(
                    c.find(
                            Filters.and(
                                Filters.gte("requestedAt", Date.from(from)),
                                Filters.lt("requestedAt", Date.from(to))))
                        .projection(
                            Projections.include(
                                "countryCode",
                                "action",
                                "verifiedAt",
                                "sentAttempts",
                                "deliveredAttempts",
                                "undeliveredAttempts",
                                "dispatchFailures",
                                "failedVerifications",
                                "blocks",
                                "shadowBlocks"))
                        .batchSize(1000)))
        .doOnNext(d -> accumulate(buckets, d))
        .blockLast(TIMEOUT);
    if (buckets.isEmpty()) {
      return;
    }
    Date computedAt = Date.from(clock.instant());
    List<WriteModel<Document>> writes = new ArrayList<>();
    buckets.forEach(
        (key, stats) -> {
          String id = granularity + "|" + from + "|" + key.get(0) + "|" + key.get(1);
          writes.add(
              new ReplaceOneModel<>(
                  Filters.eq("_id", id),
                  document(id, granularity, from, key.get(0), key.get(1), stats, computedAt),
                  new ReplaceOptions().upsert(true)));
        });
    mongo
        .getCollection(ViewCollections.AGGREGATES)
        .flatMap(c -> Mono.from(c.bulkWrite(writes)))
        .block(TIMEOUT);
  }

  private static void accumulate(Map<List<String>, BucketStats> buckets, Document d) {
    String country = d.getString("countryCode") == null ? "ZZ" : d.getString("countryCode");
    String action = d.getString("action") == null ? "-" : d.getString("action");
    for (List<String> key :
        List.of(
            List.of(country, action),
            List.of(country, ALL),
            List.of(ALL, action),
            List.of(ALL, ALL))) {
      BucketStats s = buckets.computeIfAbsent(key, k -> new BucketStats());
      s.challenges++;
      s.sends += distinct(d.getList("sentAttempts", Object.class), null).size();
      Map<Object, Document> delivered = new LinkedHashMap<>();
      for (Document r : docs(d, "deliveredAttempts")) {
        delivered.merge(
            r.get("attempt"),
            r,
            (x, y) -> millis(x) != null && (millis(y) == null || millis(x) <= millis(y)) ? x : y);
      }
      s.deliveries += delivered.size();
      delivered.values().stream()
          .map(AggregateBuilder::millis)
          .filter(v -> v != null)
          .forEach(s.deliveryMillis::add);
      s.undelivered += distinct(docs(d, "undeliveredAttempts"), "attempt").size();
      s.dispatchFailures += distinct(docs(d, "dispatchFailures"), "attempt").size();
      s.verificationFailures +=
          distinct(d.getList("failedVerifications", Object.class), null).size();
      if (d.get("verifiedAt") != null) {
        s.verifications++;
      }
      for (Document b : docs(d, "blocks")) {
        s.blocked++;
        s.blockedByReason.merge(String.valueOf(b.getString("reason")), 1L, Long::sum);
      }
      s.shadowBlocked += docs(d, "shadowBlocks").size();
    }
  }

  private static Long millis(Document delivered) {
    Object v = delivered.get("millis");
    return v instanceof Number n ? n.longValue() : null;
  }

  private static List<Document> docs(Document d, String field) {
    List<Document> list = d.getList(field, Document.class);
    return list == null ? List.of() : list;
  }

  private static Set<Object> distinct(List<?> values, String field) {
    Set<Object> out = new HashSet<>();
    if (values != null) {
      for (Object v : values) {
        out.add(field == null ? v : ((Document) v).get(field));
      }
    }
    return out;
  }

  private static Document document(
      String id,
      String granularity,
      Instant from,
      String country,
      String action,
      BucketStats s,
      Date computedAt) {
    return new Document("_id", id)
        .append("granularity", granularity)
        .append("bucketStart", Date.from(from))
        .append("countryCode", country)
        .append("action", action)
        .append("challenges", s.challenges)
        .append("sends", s.sends)
        .append("deliveries", s.deliveries)
        .append("undelivered", s.undelivered)
        .append("dispatchFailures", s.dispatchFailures)
        .append("verifications", s.verifications)
        .append("verificationFailures", s.verificationFailures)
        .append("conversionRate", s.conversionRate())
        .append("deliveryRate", s.deliveryRate())
        .append("sendToDeliveryP50Millis", s.percentile(0.50))
        .append("sendToDeliveryP95Millis", s.percentile(0.95))
        .append("blocked", s.blocked)
        .append("blockedByReason", new Document(new LinkedHashMap<>(s.blockedByReason)))
        .append("shadowBlocked", s.shadowBlocked)
        .append("computedAt", computedAt);
  }

  @Override
  public void destroy() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
