package dev.signet.audit.view;

import com.mongodb.client.model.Filters;
import dev.signet.audit.config.AuditProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Enforces retention by deleting, on a schedule, what is older than {@code signet.audit.retention}
 * (activities by event time, challenge and action views by their last event) and aggregates older
 * than {@code aggregate-retention}. The service does it itself because the embedded MongoDB-wire
 * server never expires TTL indexes; deletes are idempotent, so several instances may sweep at once.
 * A blocking store on its own scheduler thread.
 */
@Component
public class Retention implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final MongoTemplate mongo;
  private final Clock clock;
  private final AuditProperties properties;
  private ScheduledExecutorService scheduler;

  Retention(MongoTemplate mongo, Clock clock, AuditProperties properties) {
    this.mongo = mongo;
    this.clock = clock;
    this.properties = properties;
  }

  @Override
  public void afterPropertiesSet() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "audit-retention");
              t.setDaemon(true);
              return t;
            });
    long every = properties.retentionInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            sweep();
          } catch (RuntimeException e) {
            log.warn("retention sweep failed, will retry: {}", e.toString());
          }
        },
        Math.min(every, 30_000),
        every,
        TimeUnit.MILLISECONDS);
  }

  /** Deletes what is past retention now; returns the deleted counts per collection. */
  public Map<String, Long> sweep() {
    Instant now = clock.instant();
    Date cutoff = Date.from(now.minus(properties.retention()));
    Date aggregateCutoff = Date.from(now.minus(properties.aggregateRetention()));
    Map<String, Long> deleted = new LinkedHashMap<>();
    deleted.put(
        ViewCollections.ACTIVITIES,
        delete(ViewCollections.ACTIVITIES, Filters.lt("occurredAt", cutoff)));
    deleted.put(
        ViewCollections.CHALLENGES,
        delete(ViewCollections.CHALLENGES, Filters.lt("updatedAt", cutoff)));
    deleted.put(
        ViewCollections.ACTIONS, delete(ViewCollections.ACTIONS, Filters.lt("updatedAt", cutoff)));
    deleted.put(
        ViewCollections.AGGREGATES,
        delete(ViewCollections.AGGREGATES, Filters.lt("bucketStart", aggregateCutoff)));
    if (deleted.values().stream().anyMatch(n -> n > 0)) {
      log.info("retention sweep deleted={}", deleted);
    }
    return deleted;
  }

  private long delete(String collection, Bson filter) {
    return mongo.getCollection(collection).deleteMany(filter).getDeletedCount();
  }

  @Override
  public void destroy() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
