package dev.signet.rules.store;

import com.mongodb.client.model.Indexes;
import dev.signet.rules.policy.PumpingGuard;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * SMS traffic as the pumping guard counts it: one document per event ({@code _id} = eventId, so a
 * redelivered event counts once) with the destination's prefix and region, and the guard's
 * detections (what it blocked, or in shadow mode would have blocked). No full phone number is
 * stored: the prefix leaves out the last four digits. A blocking store (MongoDB's synchronous
 * driver): the pumping guard runs on the Kafka listener threads; the management API reads the
 * detections on the bounded elastic scheduler.
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

  private final MongoTemplate mongo;

  SendTrafficStore(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  public void createIndexes() {
    var traffic = mongo.getCollection(TRAFFIC);
    traffic.createIndex(Indexes.ascending("kind", "prefix", "at"));
    traffic.createIndex(Indexes.ascending("kind", "country", "at"));
  }

  /** Records one event's traffic; false when the event was recorded before. */
  public boolean record(String eventId, Kind kind, String prefix, String country, Instant at) {
    Document doc =
        new Document("_id", eventId)
            .append("kind", kind.name())
            .append("prefix", prefix)
            .append("country", country)
            .append("at", Date.from(at));
    try {
      mongo.insert(doc, TRAFFIC);
      return true;
    } catch (RuntimeException e) {
      if (!SignalStore.isDuplicate(e)) {
        throw e;
      }
      return false;
    }
  }

  /** Events of this kind to this prefix since {@code since}. */
  public long countByPrefix(Kind kind, String prefix, Instant since) {
    return count(kind, "prefix", prefix, since);
  }

  /** Events of this kind to this region since {@code since}. */
  public long countByCountry(Kind kind, String country, Instant since) {
    return count(kind, "country", country, since);
  }

  private long count(Kind kind, String field, String value, Instant since) {
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
  public void recordDetection(PumpingGuard.Detection d, boolean shadow, Instant now) {
    Query byId =
        Query.query(Criteria.where("_id").is(d.kind().name() + ":" + d.value() + ":" + d.reason()));
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
    try {
      mongo.findAndModify(
          byId,
          update,
          FindAndModifyOptions.options().upsert(true).returnNew(true),
          Document.class,
          DETECTIONS);
    } catch (RuntimeException e) {
      if (!SignalStore.isDuplicate(e)) {
        throw e;
      }
      // Two first detections at once: the loser of the upsert updates the winner's document.
      mongo.findAndModify(
          byId, update, FindAndModifyOptions.options().returnNew(true), Document.class, DETECTIONS);
    }
  }

  /** The latest detections, newest first. */
  public List<Document> detections(int limit) {
    return mongo.find(
        new Query().with(Sort.by(Sort.Direction.DESC, "lastAt")).limit(limit),
        Document.class,
        DETECTIONS);
  }
}
