package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One MongoDB document per send attempt, {@code _id = challengeId:attempt}, so that the unique
 * {@code _id} index makes the claim atomic across instances and redeliveries. The document moves
 * CLAIMED → SENT | FAILED exactly once, by conditional single-document updates that also push the
 * announcing event into its outbox array.
 */
@Component
public class SendAttempts {

  public static final String COLLECTION = "sms_attempts";

  enum State {
    CLAIMED,
    SENT,
    FAILED,
    BLOCKED
  }

  /** Result of trying to claim an attempt. */
  sealed interface Claim {
    record Claimed() implements Claim {}

    record Existing(State state, Instant claimedAt) implements Claim {}
  }

  private final ReactiveMongoTemplate mongo;

  SendAttempts(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** Indexes for receipt lookups by provider message id, the stale-claim and fallback sweeps. */
  public Mono<Void> ensureIndexes() {
    return mongo
        .indexOps(COLLECTION)
        .createIndex(new Index().on("providerMessageIds", Sort.Direction.ASC))
        .then(
            mongo
                .indexOps(COLLECTION)
                .createIndex(
                    new Index()
                        .on("state", Sort.Direction.ASC)
                        .on("claimedAt", Sort.Direction.ASC)))
        .then(
            mongo
                .indexOps(COLLECTION)
                .createIndex(new Index().on("fallbackDueAt", Sort.Direction.ASC)))
        .then();
  }

  /**
   * Claims the attempt for {@code token}, with the route that holds its send ({@code route}, null
   * for test traffic) and what a fallback send needs ({@code resend}, null when the attempt gets
   * none); an attempt claimed before is reported as it stands.
   */
  Mono<Claim> claim(AttemptFacts facts, String token, String route, Document resend, Instant now) {
    Document doc =
        AttemptDocuments.base(facts)
            .append("state", State.CLAIMED.name())
            .append("claimToken", token);
    doc.append("claimedAt", Date.from(now)).append("fallbacks", 0);
    if (resend != null) {
      doc.append(Resend.FIELD, resend);
    }
    if (route != null) {
      doc.append("route", route)
          .append("routes", List.of(new Document("route", route).append("at", Date.from(now))));
    }
    return mongo
        .insert(doc, COLLECTION)
        .<Claim>thenReturn(new Claim.Claimed())
        .onErrorResume(
            DuplicateKeyException.class,
            e ->
                mongo
                    .findById(facts.attemptId(), Document.class, COLLECTION)
                    .map(
                        existing ->
                            new Claim.Existing(
                                State.valueOf(existing.getString("state")),
                                existing.getDate("claimedAt").toInstant())));
  }

  /**
   * Moves the send of a claimed attempt to another route, only while the claim is still {@code
   * token}'s: the document names the one route that may send at any time, and keeps every route
   * that held it ({@code routes}), so a later step (a redelivery, a fallback after a missing
   * receipt) knows which routes were used. False when the claim is no longer ours (resolved as
   * stale): then nothing may be sent.
   */
  Mono<Boolean> holdRoute(
      String attemptId, String token, String route, String because, Instant now) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(attemptId)
                .and("state")
                .is(State.CLAIMED.name())
                .and("claimToken")
                .is(token));
    Update update =
        new Update()
            .set("route", route)
            .push(
                "routes",
                new Document("route", route).append("at", Date.from(now)).append("after", because));
    return mongo.updateFirst(query, update, COLLECTION).map(r -> r.getModifiedCount() == 1);
  }

  /**
   * Records a failure decided before any provider call (expired challenge, code that does not
   * open). Empty when the attempt already has a document: a redelivery.
   */
  Mono<OutboxEvent> failWithoutSending(
      AttemptFacts facts, ProviderOutcome.Failed failed, OutboxEvent event, Instant now) {
    Document doc =
        AttemptDocuments.base(facts)
            .append("state", State.FAILED.name())
            .append("claimedAt", Date.from(now))
            .append("finishedAt", Date.from(now))
            .append("failureReason", failed.reason().name())
            .append("providerAttempts", 0)
            .append(Outbox.FIELD, List.of(event.toDocument()));
    return mongo
        .insert(doc, COLLECTION)
        .thenReturn(event)
        .onErrorResume(DuplicateKeyException.class, e -> Mono.empty());
  }

  /**
   * Records a requested event refused because its sealed code cannot be opened, under its own id
   * ({@link #refusalId}), not the attempt's: empty when the same event was recorded before.
   */
  Mono<OutboxEvent> refuse(
      String eventId, AttemptFacts facts, FailureReason reason, OutboxEvent event, Instant now) {
    Document doc =
        AttemptDocuments.base(facts)
            .append("_id", refusalId(eventId, facts))
            .append("eventId", eventId)
            .append("state", State.FAILED.name())
            .append("claimedAt", Date.from(now))
            .append("finishedAt", Date.from(now))
            .append("failureReason", reason.name())
            .append("providerAttempts", 0)
            .append(Outbox.FIELD, List.of(event.toDocument()));
    return mongo
        .insert(doc, COLLECTION)
        .thenReturn(event)
        .onErrorResume(DuplicateKeyException.class, e -> Mono.empty());
  }

  /** The id of a refused event's document: apart from every attempt id, one per event. */
  static String refusalId(String eventId, AttemptFacts facts) {
    return facts.attemptId() + ":refused:" + eventId;
  }

  /**
   * Records the outcome of a claimed attempt with its event, only while the claim is still ours.
   * Empty when it is not (the stale-claim sweep resolved it first). {@code fallbackDueAt} is when a
   * fallback is due unless a delivered receipt comes first; null: no fallback, the resend data is
   * dropped.
   */
  Mono<List<OutboxEvent>> complete(
      String attemptId,
      String token,
      ProviderOutcome outcome,
      int providerAttempts,
      List<String> routeFailures,
      List<OutboxEvent> events,
      Instant fallbackDueAt,
      String fallbackReason,
      Instant now) {
    Update update =
        new Update()
            .set("finishedAt", Date.from(now))
            .set("providerAttempts", providerAttempts)
            .set("routeFailures", routeFailures);
    if (fallbackDueAt == null) {
      update.unset(Resend.FIELD);
    } else {
      update.set("fallbackDueAt", Date.from(fallbackDueAt)).set("fallbackReason", fallbackReason);
    }
    update.push(Outbox.FIELD).each(events.stream().map(OutboxEvent::toDocument).toArray());
    if (outcome instanceof ProviderOutcome.Accepted accepted) {
      update
          .set("state", State.SENT.name())
          .set("dispatchedAt", Date.from(now))
          .set("providerMessageId", accepted.messageId())
          .set("providerMessageIds", accepted.messageIds())
          .set("segments", accepted.segments())
          .set("price", accepted.price() == null ? null : accepted.price().toPlainString());
    } else if (outcome instanceof ProviderOutcome.Failed failed) {
      update.set("state", State.FAILED.name()).set("failureReason", failed.reason().name());
    }
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(attemptId)
                .and("state")
                .is(State.CLAIMED.name())
                .and("claimToken")
                .is(token));
    return mongo
        .updateFirst(query, update, COLLECTION)
        .flatMap(result -> result.getModifiedCount() == 1 ? Mono.just(events) : Mono.empty());
  }

  /** Records that the guard refused the claimed attempt, with its blocked event. */
  Mono<OutboxEvent> block(
      String attemptId, String token, String reason, OutboxEvent event, Instant now) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(attemptId)
                .and("state")
                .is(State.CLAIMED.name())
                .and("claimToken")
                .is(token));
    Update update =
        new Update()
            .set("state", State.BLOCKED.name())
            .set("blockReason", reason)
            .unset(Resend.FIELD)
            .set("finishedAt", Date.from(now))
            .set("providerAttempts", 0)
            .push(Outbox.FIELD, event.toDocument());
    return mongo
        .updateFirst(query, update, COLLECTION)
        .flatMap(result -> result.getModifiedCount() == 1 ? Mono.just(event) : Mono.empty());
  }

  /** Claims older than {@code cutoff} that never got an outcome. */
  Flux<Document> staleClaims(Instant cutoff, int limit) {
    return mongo.find(
        Query.query(
                Criteria.where("state")
                    .is(State.CLAIMED.name())
                    .and("claimedAt")
                    .lt(Date.from(cutoff)))
            .limit(limit),
        Document.class,
        COLLECTION);
  }

  /**
   * Marks a stale claim failed with its event, unless an outcome or a delivered receipt arrived
   * meanwhile (false then); its fallback (when it kept resend data) is due at {@code
   * fallbackDueAt}.
   */
  Mono<Boolean> resolveStale(
      Document claim, FailureReason reason, OutboxEvent event, Instant fallbackDueAt, Instant now) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(claim.get("_id"))
                .and("state")
                .is(State.CLAIMED.name())
                .and("claimToken")
                .is(claim.getString("claimToken"))
                // A delivered receipt that came after the claim was read: the provider took the
                // message, the claim is settled as sent instead (a failed attempt with a receipt
                // would never be settled nor fall back).
                .and("deliveredAt")
                .exists(false));
    Update update =
        new Update()
            .set("state", State.FAILED.name())
            .set("failureReason", reason.name())
            .set("finishedAt", Date.from(now))
            .set("fallbackDueAt", Date.from(fallbackDueAt))
            .set("fallbackReason", FallbackStore.Reason.OUTCOME_UNKNOWN.name())
            .push(Outbox.FIELD, event.toDocument());
    return mongo.updateFirst(query, update, COLLECTION).map(r -> r.getModifiedCount() == 1);
  }
}
