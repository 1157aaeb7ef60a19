package dev.signet.rules.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Indexes;
import dev.signet.rules.evaluation.RiskSignals;
import dev.signet.rules.evaluation.SignalPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Risk signals built from the event stream and kept in MongoDB. Each fact is stored under the id of
 * the event that taught it, so a redelivered event changes nothing: actions and challenge outcomes
 * are keyed by {@code eventId}, a device by user and device (first sighting wins).
 *
 * <p>A blocking store (MongoDB's synchronous driver): it is used on the Kafka listener threads,
 * which wait for the write before their offset is committed, and by a dry run on the bounded
 * elastic scheduler, never on an event loop.
 */
@Component
public class SignalStore implements RiskSignals {

  static final String ACTIONS = "signal_actions";
  static final String DEVICES = "signal_devices";
  static final String CHALLENGES = "signal_challenges";
  static final String DELIVERIES = "signal_deliveries";

  /** Kinds of challenge outcome recorded for a user. */
  public enum ChallengeOutcome {
    FAILED,
    VERIFIED
  }

  private final MongoTemplate mongo;

  SignalStore(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  public void createIndexes() {
    mongo.getCollection(ACTIONS).createIndex(Indexes.ascending("userId", "actionCode", "at"));
    mongo.getCollection(CHALLENGES).createIndex(Indexes.ascending("userId", "outcome", "at"));
    mongo.getCollection(DELIVERIES).createIndex(Indexes.ascending("userId", "at"));
  }

  /** Records a tracked action and its device; idempotent per event. */
  public void recordAction(
      String eventId, String userId, String actionCode, String deviceId, Instant at) {
    insertOnce(
        new Document("_id", eventId)
            .append("userId", userId)
            .append("actionCode", actionCode)
            .append("at", Date.from(at)),
        ACTIONS);
    if (deviceId != null) {
      mongo.upsert(
          Query.query(Criteria.where("_id").is(deviceKey(userId, deviceId))),
          new Update()
              .setOnInsert("userId", userId)
              .setOnInsert("firstEventId", eventId)
              .setOnInsert("firstSeenAt", Date.from(at))
              .set("lastSeenAt", Date.from(at)),
          DEVICES);
    }
  }

  /** Records a rejected or accepted code of one of the user's challenges; idempotent per event. */
  public void recordChallenge(String eventId, String userId, ChallengeOutcome outcome, Instant at) {
    insertOnce(
        new Document("_id", eventId)
            .append("userId", userId)
            .append("outcome", outcome.name())
            .append("at", Date.from(at)),
        CHALLENGES);
  }

  /**
   * Records an SMS to the user that could not be delivered ({@code kind}: dispatch failed, or the
   * final receipt's status); idempotent per event.
   */
  public void recordFailedDelivery(String eventId, String userId, String kind, Instant at) {
    insertOnce(
        new Document("_id", eventId)
            .append("userId", userId)
            .append("kind", kind)
            .append("at", Date.from(at)),
        DELIVERIES);
  }

  private void insertOnce(Document doc, String collection) {
    try {
      mongo.insert(doc, collection);
    } catch (RuntimeException e) {
      if (!isDuplicate(e)) {
        throw e;
      }
    }
  }

  public static boolean isDuplicate(Throwable e) {
    return e instanceof DuplicateKeyException
        || e instanceof MongoWriteException w
            && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
  }

  @Override
  public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
    // A device first recorded by this very event (a redelivery) was not seen before it.
    return (Boolean) answer(new SignalPlan.DeviceSeen(userId, deviceId, currentEventId));
  }

  @Override
  public long actionsSince(String userId, String actionCode, Instant since, String currentEventId) {
    return (Long) answer(new SignalPlan.ActionsSince(userId, actionCode, since, currentEventId));
  }

  @Override
  public long failedVerificationsSince(String userId, Instant since) {
    return (Long) answer(new SignalPlan.FailuresSince(userId, since));
  }

  @Override
  public long failedDeliveriesSince(String userId, Instant since) {
    return (Long) answer(new SignalPlan.DeliveriesSince(userId, since));
  }

  /**
   * Answers every question of the plan at once, the queries running in parallel on {@code reads}
   * (one round trip of latency instead of one per signal); anything the plan missed is asked of
   * this store.
   */
  public CompletableFuture<RiskSignals> prefetch(SignalPlan plan, Executor reads) {
    Map<SignalPlan.Query, CompletableFuture<Object>> answers = new LinkedHashMap<>();
    for (SignalPlan.Query q : plan.queries()) {
      answers.put(q, CompletableFuture.supplyAsync(() -> answer(q), reads));
    }
    return CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<SignalPlan.Query, Object> answered = new HashMap<>();
              answers.forEach((q, answer) -> answered.put(q, answer.join()));
              return SignalPlan.answered(answered, this);
            });
  }

  private Object answer(SignalPlan.Query query) {
    if (query instanceof SignalPlan.DeviceSeen d) {
      Document doc = mongo.findById(deviceKey(d.userId(), d.deviceId()), Document.class, DEVICES);
      return doc != null && !d.currentEventId().equals(doc.getString("firstEventId"));
    }
    if (query instanceof SignalPlan.ActionsSince a) {
      return mongo.count(
          Query.query(
              Criteria.where("userId")
                  .is(a.userId())
                  .and("actionCode")
                  .is(a.actionCode())
                  .and("at")
                  .gte(Date.from(a.since()))
                  .and("_id")
                  .ne(a.currentEventId())),
          ACTIONS);
    }
    if (query instanceof SignalPlan.FailuresSince f) {
      return mongo.count(
          Query.query(
              Criteria.where("userId")
                  .is(f.userId())
                  .and("outcome")
                  .is(ChallengeOutcome.FAILED.name())
                  .and("at")
                  .gte(Date.from(f.since()))),
          CHALLENGES);
    }
    SignalPlan.DeliveriesSince d = (SignalPlan.DeliveriesSince) query;
    return mongo.count(
        Query.query(Criteria.where("userId").is(d.userId()).and("at").gte(Date.from(d.since()))),
        DELIVERIES);
  }

  /** Devices are stored under a digest of user and device id: fixed length, no separator games. */
  static String deviceKey(String userId, String deviceId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(userId.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(deviceId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
