package dev.signet.audit.webhook;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
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
 * The durable delivery queue in MongoDB, for the dispatcher and the management API. Every change
 * that must hold across instances is one conditional write: an attempt starts with a conditional
 * claim that moves the delivery's next-attempt time a lease ahead, so two instances never send the
 * same attempt, and a crashed instance's claim expires; an attempt's result is written only by the
 * holder of that claim. Deliveries are created by {@link DeliveryQueue}.
 */
public class DeliveryStore {

  static final String DELIVERIES = "webhook_deliveries";

  private final MongoDatabase database;

  public DeliveryStore(MongoDatabase database) {
    this.database = database;
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

  private static Instant instant(Document d, String field) {
    Date date = d.getDate(field);
    return date == null ? null : date.toInstant();
  }
}
