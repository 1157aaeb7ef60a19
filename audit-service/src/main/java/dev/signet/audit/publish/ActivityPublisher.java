package dev.signet.audit.publish;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.signet.audit.activity.ActivityIds;
import dev.signet.audit.config.AuditProperties;
import dev.signet.audit.view.ViewCollections;
import dev.signet.events.Topics;
import dev.signet.events.audit.ActivityCategory;
import dev.signet.events.audit.ActivityOutcome;
import dev.signet.events.audit.ActivitySeverity;
import dev.signet.events.audit.AuditActivity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes every recorded activity to {@code auth.audit.activity.v1} without a dual write: the
 * activities collection is the outbox (a new activity carries {@code pending: true}), and this
 * relay sends pending activities, waits for the broker's acknowledgement, then clears the flag. The
 * audit event id is derived from the activity id, so a send repeated after a crash (or by a second
 * instance) repeats the same event id, and replaying a source topic finds the activity already
 * recorded and publishes nothing.
 *
 * <p>Key: the user id, else the challenge id, else the policy id, else the activity id.
 */
@Component
public class ActivityPublisher implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ActivityPublisher.class);
  private static final int BATCH = 500;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long FULL_CHECK_NANOS = 5_000_000_000L;

  private final MongoTemplate mongo;
  private final KafkaTemplate<String, Object> kafka;
  private final AuditProperties properties;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong pendingSeen = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean nudged =
      new java.util.concurrent.atomic.AtomicBoolean(true);
  private volatile long lastFullCheckNanos;
  private ScheduledExecutorService scheduler;

  ActivityPublisher(
      MongoTemplate mongo,
      KafkaTemplate<String, Object> kafka,
      AuditProperties properties,
      MeterRegistry registry) {
    this.mongo = mongo;
    this.kafka = kafka;
    this.properties = properties;
    Gauge.builder("signet.audit.publisher.pending", pendingSeen, AtomicLong::get)
        .description("Activities waiting to be published, as of the last relay pass (capped)")
        .register(registry);
    registry.more().counter("signet.audit.publisher.published", List.of(), published);
  }

  @Override
  public void afterPropertiesSet() {
    if (!properties.publishEnabled()) {
      log.info("audit topic publishing is disabled (signet.audit.publish-enabled=false)");
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "audit-publisher");
              t.setDaemon(true);
              return t;
            });
    long every = properties.publishInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            // Query the outbox when the view builder recorded something new, and every few
            // seconds regardless (activities of another instance, or left by a crash).
            boolean due = System.nanoTime() - lastFullCheckNanos > FULL_CHECK_NANOS;
            if (!nudged.getAndSet(false) && !due) {
              return;
            }
            if (due) {
              lastFullCheckNanos = System.nanoTime();
            }
            while (publishBatch() == BATCH) {
              // drain a backlog without waiting for the next tick
            }
          } catch (RuntimeException e) {
            log.warn("audit topic relay failed, will retry: {}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  /** New activities were recorded: the next tick queries the outbox. */
  public void nudge() {
    nudged.set(true);
  }

  /** Sends one batch of pending activities; returns how many were sent. */
  public int publishBatch() {
    List<Document> pending =
        mongo
            .getCollection(ViewCollections.ACTIVITIES)
            .find(Filters.eq("pending", true))
            .limit(BATCH)
            .into(new ArrayList<>());
    if (pending.isEmpty()) {
      pendingSeen.set(0);
      return 0;
    }
    pendingSeen.set(pending.size());
    List<CompletableFuture<?>> sends = new ArrayList<>(pending.size());
    List<Object> ids = new ArrayList<>(pending.size());
    for (Document d : pending) {
      AuditActivity event = event(d);
      sends.add(kafka.send(Topics.AUDIT_ACTIVITY.name(), key(d), event));
      ids.add(d.get("_id"));
    }
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("audit topic send failed: " + e, e);
    }
    mongo
        .getCollection(ViewCollections.ACTIVITIES)
        .updateMany(Filters.in("_id", ids), Updates.unset("pending"));
    published.addAndGet(ids.size());
    return ids.size();
  }

  static String key(Document d) {
    if (d.getString("userId") != null) {
      return d.getString("userId");
    }
    if (d.getString("challengeId") != null) {
      return d.getString("challengeId");
    }
    Document attributes = d.get("attributes", Document.class);
    if (attributes != null && attributes.getString("policyId") != null) {
      return attributes.getString("policyId");
    }
    return d.getString("_id");
  }

  static AuditActivity event(Document d) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Document attrs = d.get("attributes", Document.class);
    if (attrs != null) {
      attrs.forEach((k, v) -> attributes.put(k, String.valueOf(v)));
    }
    String activityId = d.getString("_id");
    return AuditActivity.newBuilder()
        .setEventId(ActivityIds.auditEventId(activityId))
        .setOccurredAt(d.getDate("occurredAt").toInstant())
        .setCorrelationId(
            d.getString("correlationId") == null
                ? d.getString("sourceEventId")
                : d.getString("correlationId"))
        .setActivityId(activityId)
        .setType(d.getString("type"))
        .setCategory(ActivityCategory.valueOf(d.getString("category")))
        .setOutcome(ActivityOutcome.valueOf(d.getString("outcome")))
        .setSeverity(ActivitySeverity.valueOf(d.getString("severity")))
        .setSummary(d.getString("summary"))
        .setUserId(d.getString("userId"))
        .setChallengeId(d.getString("challengeId"))
        .setActionCode(d.getString("actionCode"))
        .setIdempotencyKey(d.getString("idempotencyKey"))
        .setUserAuthenticatorId(d.getString("userAuthenticatorId"))
        .setPhoneNumberMasked(d.getString("phoneNumberMasked"))
        .setCountryCode(d.getString("countryCode"))
        .setIpAddress(d.getString("ipAddress"))
        .setTestTraffic(Boolean.TRUE.equals(d.getBoolean("testTraffic")))
        .setSourceTopic(d.getString("sourceTopic"))
        .setSourceEventId(d.getString("sourceEventId"))
        .setAttributes(attributes)
        .build();
  }

  @Override
  public void destroy() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
