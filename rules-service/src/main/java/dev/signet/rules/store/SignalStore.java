package dev.signet.rules.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Indexes;
import dev.signet.rules.evaluation.RiskSignals;
import dev.signet.rules.evaluation.SignalPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Risk signals built from the event stream and kept in MongoDB. Each fact is stored under the id of
 * the event that taught it, so a redelivered event changes nothing: actions and challenge outcomes
 * are keyed by {@code eventId}, a device by user and device (first sighting wins).
 *
 * <p>The {@link RiskSignals} reads block: they run on the Kafka listener thread, or on the bounded
 * elastic scheduler for a dry run, never on an event loop.
 */
@Component
public class SignalStore implements RiskSignals {

  static final String ACTIONS = "signal_actions";
  static final String DEVICES = "signal_devices";
  static final String CHALLENGES = "signal_challenges";
  static final String DELIVERIES = "signal_deliveries";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  /** Kinds of challenge outcome recorded for a user. */
  public enum ChallengeOutcome {
    FAILED,
    VERIFIED
  }

  private final ReactiveMongoTemplate mongo;

  SignalStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public Mono<Void> createIndexes() {
    return Mono.when(
        mongo
            .getCollection(ACTIONS)
            .flatMap(
                c -> Mono.from(c.createIndex(Indexes.ascending("userId", "actionCode", "at")))),
        mongo
            .getCollection(CHALLENGES)
            .flatMap(c -> Mono.from(c.createIndex(Indexes.ascending("userId", "outcome", "at")))),
        mongo
            .getCollection(DELIVERIES)
            .flatMap(c -> Mono.from(c.createIndex(Indexes.ascending("userId", "at")))));
  }

  /** Records a tracked action and its device; idempotent per event. */
  public Mono<Void> recordAction(
      String eventId, String userId, String actionCode, String deviceId, Instant at) {
    Document action =
        new Document("_id", eventId)
            .append("userId", userId)
            .append("actionCode", actionCode)
            .append("at", Date.from(at));
    Mono<Void> device =
        deviceId == null
            ? Mono.empty()
            : mongo
                .upsert(
                    Query.query(Criteria.where("_id").is(deviceKey(userId, deviceId))),
                    new Update()
                        .setOnInsert("userId", userId)
                        .setOnInsert("firstEventId", eventId)
                        .setOnInsert("firstSeenAt", Date.from(at))
                        .set("lastSeenAt", Date.from(at)),
                    DEVICES)
                .then();
    return Mono.when(insertOnce(action, ACTIONS), device);
  }

  /** Records a rejected or accepted code of one of the user's challenges; idempotent per event. */
  public Mono<Void> recordChallenge(
      String eventId, String userId, ChallengeOutcome outcome, Instant at) {
    return insertOnce(
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
  public Mono<Void> recordFailedDelivery(String eventId, String userId, String kind, Instant at) {
    return insertOnce(
        new Document("_id", eventId)
            .append("userId", userId)
            .append("kind", kind)
            .append("at", Date.from(at)),
        DELIVERIES);
  }

  private Mono<Void> insertOnce(Document doc, String collection) {
    return mongo
        .insert(doc, collection)
        .then()
        .onErrorResume(SignalStore::isDuplicate, e -> Mono.empty());
  }

  public static boolean isDuplicate(Throwable e) {
    return e instanceof DuplicateKeyException
        || e instanceof MongoWriteException w
            && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
  }

  @Override
  public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
    // A device first recorded by this very event (a redelivery) was not seen before it.
    return (Boolean)
        answer(new SignalPlan.DeviceSeen(userId, deviceId, currentEventId)).block(READ_TIMEOUT);
  }

  @Override
  public long actionsSince(String userId, String actionCode, Instant since, String currentEventId) {
    return (Long)
        answer(new SignalPlan.ActionsSince(userId, actionCode, since, currentEventId))
            .block(READ_TIMEOUT);
  }

  @Override
  public long failedVerificationsSince(String userId, Instant since) {
    return (Long) answer(new SignalPlan.FailuresSince(userId, since)).block(READ_TIMEOUT);
  }

  @Override
  public long failedDeliveriesSince(String userId, Instant since) {
    return (Long) answer(new SignalPlan.DeliveriesSince(userId, since)).block(READ_TIMEOUT);
  }

  /**
   * Answers every question of the plan at once, the queries running in parallel (one round trip of
   * latency instead of one per signal); anything the plan missed is asked of this store.
   */
  public Mono<RiskSignals> prefetch(SignalPlan plan) {
    List<Mono<Map.Entry<SignalPlan.Query, Object>>> answers = new ArrayList<>();
    for (SignalPlan.Query q : plan.queries()) {
      answers.add(answer(q).map(value -> Map.entry(q, value)));
    }
    if (answers.isEmpty()) {
      return Mono.just(SignalPlan.answered(Map.of(), this));
    }
    return Flux.merge(answers)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .map(map -> SignalPlan.answered(map, this));
  }

  private Mono<Object> answer(SignalPlan.Query query) {
    if (query instanceof SignalPlan.DeviceSeen d) {
      return mongo
          .findById(deviceKey(d.userId(), d.deviceId()), Document.class, DEVICES)
          .map(doc -> (Object) !d.currentEventId().equals(doc.getString("firstEventId")))
          .defaultIfEmpty(Boolean.FALSE);
    }
    if (query instanceof SignalPlan.ActionsSince a) {
      return mongo
          .count(
              Query.query(
                  Criteria.where("userId")
                      .is(a.userId())
                      .and("actionCode")
                      .is(a.actionCode())
                      .and("at")
                      .gte(Date.from(a.since()))
                      .and("_id")
                      .ne(a.currentEventId())),
              ACTIONS)
          .map(n -> (Object) n);
    }
    if (query instanceof SignalPlan.FailuresSince f) {
      return mongo
          .count(
              Query.query(
                  Criteria.where("userId")
                      .is(f.userId())
                      .and("outcome")
                      .is(ChallengeOutcome.FAILED.name())
                      .and("at")
                      .gte(Date.from(f.since()))),
              CHALLENGES)
          .map(n -> (Object) n);
    }
    SignalPlan.DeliveriesSince d = (SignalPlan.DeliveriesSince) query;
    return mongo
        .count(
            Query.query(
                Criteria.where("userId").is(d.userId()).and("at").gte(Date.from(d.since()))),
            DELIVERIES)
        .map(n -> (Object) n);
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
