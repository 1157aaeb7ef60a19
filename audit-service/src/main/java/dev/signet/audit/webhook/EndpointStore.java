package dev.signet.audit.webhook;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
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
 * The webhook endpoints in MongoDB, for the management API and the dispatcher. The endpoint limit
 * is a counter moved by {@code $inc} under a condition, so parallel registrations cannot pass it
 * together; deleting an endpoint deletes its deliveries.
 */
public class EndpointStore {

  static final String ENDPOINTS = "webhook_endpoints";
  static final String COUNTERS = "webhook_counters";
  private static final String ENDPOINT_COUNTER = "endpoints";

  /** The endpoints that receive events. */
  static final Bson ENABLED = Filters.eq("enabled", true);

  private final MongoDatabase database;

  public EndpointStore(MongoDatabase database) {
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

  /** The endpoint limit was reached. */
  public static final class EndpointLimitReached extends RuntimeException {
    EndpointLimitReached() {
      super(null, null, false, false);
    }
  }

  private Mono<MongoCollection<Document>> collection(String name) {
    return Mono.just(database.getCollection(name));
  }

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
            .onErrorMap(EndpointStore::duplicateKey, e -> new EndpointLimitReached())
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
    return collection(ENDPOINTS).flatMapMany(c -> Flux.from(c.find(ENABLED))).map(Endpoint::of);
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
                      collection(DeliveryStore.DELIVERIES)
                          .flatMap(c -> Mono.from(c.deleteMany(Filters.eq("endpointId", id)))))
                  .thenReturn(true);
            });
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
