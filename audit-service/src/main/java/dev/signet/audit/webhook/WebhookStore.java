package dev.signet.audit.webhook;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The endpoints and the durable delivery queue in MongoDB. Every change that must hold across
 * instances is one conditional write: a delivery is created by an upsert on its natural key
 * (endpoint × event id), so a redelivered Kafka record finds it and adds nothing; an attempt starts
 * with a conditional claim that moves the delivery's next-attempt time a lease ahead, so two
 * instances never send the same attempt, and a crashed instance's claim expires; an attempt's
 * result is written only by the holder of that claim; the endpoint limit is a counter moved by
 * {@code $inc} under a condition.
 */
public class WebhookStore {

  static final String ENDPOINTS = "webhook_endpoints";
  static final String DELIVERIES = "webhook_deliveries";
  static final String COUNTERS = "webhook_counters";
  private static final String ENDPOINT_COUNTER = "endpoints";

  private final MongoDatabase database;

  public WebhookStore(MongoDatabase database) {
    this.database = database;
  }

  /** The stored form of an endpoint. */
  public record Endpoint(
      String id,
      String url,
      List<String> eventTypes,
      String description,
      boolean enabled,
      Instant createdAt,
      Instant updatedAt,
      String createdBy) {

    Document toDocument() {
      return new Document("_id", id)
          .append("url", url)
          .append("eventTypes", eventTypes)
          .append("description", description)
          .append("enabled", enabled)
          .append("createdAt", Date.from(createdAt))
          .append("updatedAt", Date.from(updatedAt))
          .append("createdBy", createdBy);
    }

    static Endpoint of(Document d) {
      return new Endpoint(
          d.getString("_id"),
          d.getString("url"),
          d.getList("eventTypes", String.class, List.of()),
          d.getString("description"),
          Boolean.TRUE.equals(d.getBoolean("enabled")),
          instant(d, "createdAt"),
          instant(d, "updatedAt"),
          d.getString("createdBy"));
    }
  }

  /** Delivery states. */
  public enum State {
    PENDING,
    DELIVERED,
    FAILED
  }

  /** The stored form of a delivery: one per endpoint and event id. */
  public record Delivery(
      String id,
      String endpointId,
      String eventId,
      String eventType,
      String payload,
      State state,
      int attempts,
      int windowAttempts,
      Instant createdAt,
      Instant windowStart,
      Instant nextAttemptAt,
      Instant lastAttemptAt,
      Integer lastStatusCode,
      String lastError,
      Instant deliveredAt,
      String leaseOwner,
      String redeliveredBy) {

    static Delivery of(Document d) {
      return new Delivery(
          d.getString("_id"),
          d.getString("endpointId"),
          d.getString("eventId"),
          d.getString("eventType"),
          d.getString("payload"),
          State.valueOf(d.getString("state")),
          d.getInteger("attempts", 0),
          d.getInteger("windowAttempts", 0),
          instant(d, "createdAt"),
          instant(d, "windowStart"),
          instant(d, "nextAttemptAt"),
          instant(d, "lastAttemptAt"),
          d.getInteger("lastStatusCode"),
          d.getString("lastError"),
          instant(d, "deliveredAt"),
          d.getString("leaseOwner"),
          d.getString("redeliveredBy"));
    }
  }

  /** A new delivery to create unless it exists. */
  public record NewDelivery(
      String id,
      String endpointId,
      String eventId,
      String eventType,
      String payload,
      State state,
      String lastError) {}

  /** The endpoint limit was reached. */
  public static final class EndpointLimitReached extends RuntimeException {
    EndpointLimitReached() {
      super(null, null, false, false);
    }
  }

  private Mono<MongoCollection<Document>> collection(String name) {
    return Mono.just(database.getCollection(name));
  }

  public Mono<Void> createIndexes() {
    return collection(DELIVERIES)
        .flatMap(
            c ->
                Flux.from(
                        c.createIndexes(
                            List.of(
                                new IndexModel(
                                    Indexes.compoundIndex(
                                        Indexes.ascending("endpointId"),
                                        Indexes.ascending("state"),
                                        Indexes.ascending("nextAttemptAt"))),
                                new IndexModel(
                                    Indexes.compoundIndex(
                                        Indexes.descending("createdAt"),
                                        Indexes.descending("_id"))),
                                new IndexModel(
                                    Indexes.compoundIndex(
                                        Indexes.ascending("endpointId"),
                                        Indexes.descending("createdAt"))),
                                new IndexModel(Indexes.ascending("eventId")),
                                new IndexModel(
                                    Indexes.compoundIndex(
                                        Indexes.ascending("state"),
                                        Indexes.ascending("createdAt"))))))
                    .then());
  }

  // ---- endpoints ----

  /**
   * Stores a new endpoint if fewer than {@code max} exist: the counter is moved first, under the
   * condition that it is below the limit (an upsert that finds it at the limit collides with the
   * existing counter and fails), so parallel registrations cannot pass the limit together.
   */
  public Mono<Endpoint> register(Endpoint endpoint, int max) {
    Mono<Void> slot =
        collection(COUNTERS)
            .flatMap(
                c ->
                    Mono.from(
                        c.findOneAndUpdate(
                            Filters.and(
                                Filters.eq("_id", ENDPOINT_COUNTER), Filters.lt("count", max)),
                            Updates.inc("count", 1),
                            new FindOneAndUpdateOptions()
                                .upsert(true)
                                .returnDocument(ReturnDocument.AFTER))))
            .onErrorMap(WebhookStore::duplicateKey, e -> new EndpointLimitReached())
            .then();
    return slot.then(
        collection(ENDPOINTS)
            .flatMap(c -> Mono.from(c.insertOne(endpoint.toDocument())))
            .thenReturn(endpoint)
            .onErrorResume(e -> releaseSlot().then(Mono.error(e))));
  }

  private Mono<Void> releaseSlot() {
    return collection(COUNTERS)
        .flatMap(
            c ->
                Mono.from(
                    c.updateOne(
                        Filters.and(Filters.eq("_id", ENDPOINT_COUNTER), Filters.gt("count", 0)),
                        Updates.inc("count", -1))))
        .then();
  }

  public Flux<Endpoint> endpoints() {
    return collection(ENDPOINTS)
        .flatMapMany(c -> Flux.from(c.find().sort(Sorts.ascending("createdAt", "_id"))))
        .map(Endpoint::of);
  }

  public Flux<Endpoint> enabledEndpoints() {
    return collection(ENDPOINTS)
        .flatMapMany(c -> Flux.from(c.find(Filters.eq("enabled", true))))
        .map(Endpoint::of);
  }

  public Mono<Endpoint> endpoint(String id) {
    return collection(ENDPOINTS)
        .flatMap(c -> Mono.from(c.find(Filters.eq("_id", id)).first()))
        .map(Endpoint::of);
  }

  /** Changes the given fields (null: unchanged); empty when the endpoint does not exist. */
  public Mono<Endpoint> update(
      String id, Boolean enabled, List<String> eventTypes, String description, Instant now) {
    List<Bson> sets = new ArrayList<>();
    sets.add(Updates.set("updatedAt", Date.from(now)));
    if (enabled != null) {
      sets.add(Updates.set("enabled", enabled));
    }
    if (eventTypes != null) {
      sets.add(Updates.set("eventTypes", eventTypes));
    }
    if (description != null) {
      sets.add(Updates.set("description", description));
    }
    return collection(ENDPOINTS)
        .flatMap(
            c ->
                Mono.from(
                    c.findOneAndUpdate(
                        Filters.eq("_id", id),
                        Updates.combine(sets),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))))
        .map(Endpoint::of);
  }

  /** Deletes the endpoint and its deliveries; false when it did not exist. */
  public Mono<Boolean> delete(String id) {
    return collection(ENDPOINTS)
        .flatMap(c -> Mono.from(c.deleteOne(Filters.eq("_id", id))))
        .flatMap(
            result -> {
              if (result.getDeletedCount() == 0) {
                return Mono.just(false);
              }
              return releaseSlot()
                  .then(
                      collection(DELIVERIES)
                          .flatMap(c -> Mono.from(c.deleteMany(Filters.eq("endpointId", id)))))
                  .thenReturn(true);
            });
  }

  // ---- deliveries ----

  /**
   * Creates the deliveries that do not exist yet ({@code $setOnInsert} upserts on the natural key)
   * and answers how many were new.
   */
  public Mono<Integer> enqueue(List<NewDelivery> deliveries, Instant now) {
    if (deliveries.isEmpty()) {
      return Mono.just(0);
    }
    List<WriteModel<Document>> writes = new ArrayList<>(deliveries.size());
    for (NewDelivery d : deliveries) {
      Document insert =
          new Document("endpointId", d.endpointId())
              .append("eventId", d.eventId())
              .append("eventType", d.eventType())
              .append("payload", d.payload())
              .append("state", d.state().name())
              .append("attempts", 0)
              .append("windowAttempts", 0)
              .append("createdAt", Date.from(now))
              .append("windowStart", Date.from(now))
              .append("nextAttemptAt", Date.from(now))
              .append("lastError", d.lastError());
      writes.add(
          new UpdateOneModel<>(
              Filters.eq("_id", d.id()),
              new Document("$setOnInsert", insert),
              new UpdateOptions().upsert(true)));
    }
    return collection(DELIVERIES)
        .flatMap(c -> Mono.from(c.bulkWrite(writes, new BulkWriteOptions().ordered(false))))
        .map(r -> r.getUpserts().size());
  }

  /**
   * Claims the endpoint's most overdue delivery: moves its next attempt a lease ahead, counts the
   * attempt and records the claim's token, in one conditional update. Empty when none is due.
   */
  public Mono<Delivery> claim(String endpointId, Instant now, Instant leaseUntil, String token) {
    return collection(DELIVERIES)
        .flatMap(
            c ->
                Mono.from(
                    c.findOneAndUpdate(
                        Filters.and(
                            Filters.eq("endpointId", endpointId),
                            Filters.eq("state", State.PENDING.name()),
                            Filters.lte("nextAttemptAt", Date.from(now))),
                        Updates.combine(
                            Updates.set("nextAttemptAt", Date.from(leaseUntil)),
                            Updates.set("lastAttemptAt", Date.from(now)),
                            Updates.set("leaseOwner", token),
                            Updates.inc("attempts", 1),
                            Updates.inc("windowAttempts", 1)),
                        new FindOneAndUpdateOptions()
                            .sort(Sorts.ascending("nextAttemptAt"))
                            .returnDocument(ReturnDocument.AFTER))))
        .map(Delivery::of);
  }

  /** Records a successful attempt, if {@code token} still holds the claim. */
  public Mono<Boolean> delivered(String id, String token, int status, Instant now) {
    return finish(
        id,
        token,
        Updates.combine(
            Updates.set("state", State.DELIVERED.name()),
            Updates.set("deliveredAt", Date.from(now)),
            Updates.set("lastStatusCode", status),
            Updates.set("lastError", null),
            Updates.set("leaseOwner", null)));
  }

  /**
   * Records a failed attempt, if {@code token} still holds the claim: the next attempt at {@code
   * next}, or none ({@code next == null}: the delivery is marked failed).
   */
  public Mono<Boolean> attemptFailed(
      String id, String token, Integer status, String error, Instant next) {
    return finish(
        id,
        token,
        Updates.combine(
            Updates.set("state", next == null ? State.FAILED.name() : State.PENDING.name()),
            Updates.set("nextAttemptAt", next == null ? null : Date.from(next)),
            Updates.set("lastStatusCode", status),
            Updates.set("lastError", error),
            Updates.set("leaseOwner", null)));
  }

  private Mono<Boolean> finish(String id, String token, Bson update) {
    return collection(DELIVERIES)
        .flatMap(
            c ->
                Mono.from(
                    c.updateOne(
                        Filters.and(Filters.eq("_id", id), Filters.eq("leaseOwner", token)),
                        update)))
        .map(r -> r.getMatchedCount() == 1);
  }

  /**
   * Queues a delivery again now with a fresh retry window, unless an attempt is in flight (a claim
   * whose lease has not expired) or it has no body (it was over the size limit). Empty when the
   * delivery does not exist, is in flight or has no body; the caller tells these apart with {@link
   * #delivery}.
   */
  public Mono<Delivery> redeliver(String id, Instant now, String by) {
    return collection(DELIVERIES)
        .flatMap(
            c ->
                Mono.from(
                    c.findOneAndUpdate(
                        Filters.and(
                            Filters.eq("_id", id),
                            Filters.ne("payload", null),
                            Filters.or(
                                Filters.eq("leaseOwner", null),
                                Filters.lte("nextAttemptAt", Date.from(now)))),
                        Updates.combine(
                            Updates.set("state", State.PENDING.name()),
                            Updates.set("nextAttemptAt", Date.from(now)),
                            Updates.set("windowStart", Date.from(now)),
                            Updates.set("windowAttempts", 0),
                            Updates.set("leaseOwner", null),
                            Updates.set("redeliveredBy", by)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))))
        .map(Delivery::of);
  }

  public Mono<Delivery> delivery(String id) {
    return collection(DELIVERIES)
        .flatMap(c -> Mono.from(c.find(Filters.eq("_id", id)).first()))
        .map(Delivery::of);
  }

  /** The newest deliveries matching the filters (each may be null). */
  public Flux<Delivery> deliveries(String endpointId, State state, String eventId, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (endpointId != null) {
      filters.add(Filters.eq("endpointId", endpointId));
    }
    if (state != null) {
      filters.add(Filters.eq("state", state.name()));
    }
    if (eventId != null) {
      filters.add(Filters.eq("eventId", eventId));
    }
    Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
    return collection(DELIVERIES)
        .flatMapMany(
            c -> Flux.from(c.find(filter).sort(Sorts.descending("createdAt", "_id")).limit(limit)))
        .map(Delivery::of);
  }

  /** Deliveries still to be made (for the pending gauge). */
  public Mono<Long> pendingCount() {
    return collection(DELIVERIES)
        .flatMap(c -> Mono.from(c.countDocuments(Filters.eq("state", State.PENDING.name()))));
  }

  /** Deletes finished deliveries created before {@code cutoff}. */
  public Mono<Long> sweep(Instant cutoff) {
    return collection(DELIVERIES)
        .flatMap(
            c ->
                Mono.from(
                    c.deleteMany(
                        Filters.and(
                            Filters.in("state", State.DELIVERED.name(), State.FAILED.name()),
                            Filters.lt("createdAt", Date.from(cutoff))))))
        .map(r -> r.getDeletedCount());
  }

  private static boolean duplicateKey(Throwable e) {
    return e instanceof MongoException m
        && (m.getCode() == 11000
            || ErrorCategory.fromErrorCode(m.getCode()) == ErrorCategory.DUPLICATE_KEY);
  }

  private static Instant instant(Document d, String field) {
    Date date = d.getDate(field);
    return date == null ? null : date.toInstant();
  }
}
