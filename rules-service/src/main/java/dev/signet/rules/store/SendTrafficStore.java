package dev.signet.rules.store;

import com.mongodb.client.model.Indexes;
import dev.signet.rules.policy.PumpingGuard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * SMS traffic as the pumping guard counts it: one document per event ({@code _id} = eventId, so a
 * redelivered event counts once) with the destination's prefix and region, and the guard's
 * detections (what it blocked, or in shadow mode would have blocked). No full phone number is
 * stored: the prefix leaves out the last four digits.
 */
@Component
public class SendTrafficStore {

  static final String TRAFFIC = "policy_traffic";
  static final String DETECTIONS = "policy_detections";

  /** Kinds of traffic. */
  public enum Kind {
    /** A code was issued (challenge requested): what velocity counts. */
    REQUESTED,
    /** The provider accepted a message: the conversion breaker's "sent". */
    DISPATCHED,
    /** A challenge was verified: the conversion breaker's "verified". */
    VERIFIED
  }

  private final ReactiveMongoTemplate mongo;

  SendTrafficStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public Mono<Void> createIndexes() {
    return mongo
        .getCollection(TRAFFIC)
        .flatMap(
            c ->
                Mono.when(
                    Mono.from(c.createIndex(Indexes.ascending("kind", "prefix", "at"))),
                    Mono.from(c.createIndex(Indexes.ascending("kind", "country", "at")))));
  }

  /** Records one event's traffic; emits false when the event was recorded before. */
  public Mono<Boolean> record(
      String eventId, Kind kind, String prefix, String country, Instant at) {
    Document doc =
        new Document("_id", eventId)
            .append("kind", kind.name())
            .append("prefix", prefix)
            .append("country", country)
            .append("at", Date.from(at));
    return mongo
        .insert(doc, TRAFFIC)
        .thenReturn(Boolean.TRUE)
        .onErrorResume(SignalStore::isDuplicate, e -> Mono.just(Boolean.FALSE));
  }

  /** Events of this kind to this prefix since {@code since}. */
  public Mono<Long> countByPrefix(Kind kind, String prefix, Instant since) {
    return count(kind, "prefix", prefix, since);
  }

  /** Events of this kind to this region since {@code since}. */
  public Mono<Long> countByCountry(Kind kind, String country, Instant since) {
    return count(kind, "country", country, since);
  }

  private Mono<Long> count(Kind kind, String field, String value, Instant since) {
    return mongo.count(
        Query.query(
            Criteria.where("kind")
                .is(kind.name())
                .and(field)
                .is(value)
                .and("at")
                .gte(Date.from(since))),
        TRAFFIC);
  }

  /**
   * Records a detection: one document per destination and reason, counting how often it fired and
   * whether the last one was only reported (shadow mode).
   */
  public Mono<Void> recordDetection(PumpingGuard.Detection d, boolean shadow, Instant now) {
    String id = d.kind().name() + ":" + d.value() + ":" + d.reason();
    Update update =
        new Update()
            .setOnInsert("firstAt", Date.from(now))
            .set("kind", d.kind().name())
            .set("value", d.value())
            .set("reason", d.reason())
            .set("observed", d.observed())
            .set("limit", d.limit())
            .set("windowSeconds", d.window().toSeconds())
            .set("detail", d.detail())
            .set("shadow", shadow)
            .set("lastAt", Date.from(now))
            .inc("count", 1);
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(id)),
            update,
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            DETECTIONS)
        .onErrorResume(
            SignalStore::isDuplicate,
            e ->
                mongo.findAndModify(
                    Query.query(Criteria.where("_id").is(id)),
                    update,
                    FindAndModifyOptions.options().returnNew(true),
                    Document.class,
                    DETECTIONS))
        .then();
  }

  /** The latest detections, newest first. */
  public Mono<List<Document>> detections(int limit) {
    return mongo
        .find(
            new Query().with(Sort.by(Sort.Direction.DESC, "lastAt")).limit(limit),
            Document.class,
            DETECTIONS)
        .collectList()
        .map(ArrayList::new);
  }

  /** Deletes traffic older than {@code cutoff}; emits how many. */
  public Mono<Long> prune(Instant cutoff) {
    return mongo
        .remove(Query.query(Criteria.where("at").lt(Date.from(cutoff))), TRAFFIC)
        .map(r -> r.getDeletedCount());
  }
}
