package dev.signet.audit.view;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.signet.audit.config.AuditProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
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
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the hourly and daily aggregates ({@code aggregates}) up to date. Each bucket is recomputed
 * from the per-challenge views requested in it, never incremented: the figures are a function of
 * the views, so duplicates, reordering, replays and several instances recomputing the same bucket
 * all end in the same numbers. The view builder marks the hours it touched; dirty hours are
 * recomputed every {@code aggregate-interval}, their days at most every {@code
 * daily-aggregate-interval}.
 *
 * <p>A blocking store on its own scheduler thread, like the view writer on the listener thread.
 *
 * <p>Documents: one per granularity, bucket start, country and action, with {@code *} standing for
 * all countries or all actions.
 */
@Component
public class AggregateBuilder implements InitializingBean, DisposableBean {

  public static final String ALL = "*";
  private static final Logger log = LoggerFactory.getLogger(AggregateBuilder.class);

  private final MongoTemplate mongo;
  private final Clock clock;
  private final AuditProperties properties;
  private final Set<Instant> dirtyHours = ConcurrentHashMap.newKeySet();
  private final Map<Instant, Instant> dirtyDays = new ConcurrentHashMap<>();
  private final Map<String, Long> notBefore = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();
  private ScheduledExecutorService scheduler;

  AggregateBuilder(MongoTemplate mongo, Clock clock, AuditProperties properties) {
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
    for (Document d :
        mongo
            .getCollection(ViewCollections.CHALLENGES)
            .find(
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
                    "sentRoutes",
                    "undeliveredAttempts",
                    "dispatchFailures",
                    "failedVerifications",
                    "blocks",
                    "shadowBlocks"))
            .batchSize(1000)) {
      BucketStats.accumulate(buckets, d);
    }
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
                  stats.document(id, granularity, from, key.get(0), key.get(1), computedAt),
                  new ReplaceOptions().upsert(true)));
        });
    mongo.getCollection(ViewCollections.AGGREGATES).bulkWrite(writes);
  }

  @Override
  public void destroy() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
