package dev.signet.challenge.challenge;

import static dev.signet.challenge.challenge.ChallengeDocument.CODE_HASH;
import static dev.signet.challenge.challenge.ChallengeDocument.EXPIRES_AT;
import static dev.signet.challenge.challenge.ChallengeDocument.FAILED_ATTEMPTS;
import static dev.signet.challenge.challenge.ChallengeDocument.IDEMPOTENCY_KEY;
import static dev.signet.challenge.challenge.ChallengeDocument.RESERVED_ATTEMPTS;
import static dev.signet.challenge.challenge.ChallengeDocument.SENDS;
import static dev.signet.challenge.challenge.ChallengeDocument.SEND_SLOTS;
import static dev.signet.challenge.challenge.ChallengeDocument.STATE;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The challenges in MongoDB. Each rule-enforcing write is one {@code findAndModify} whose query is
 * the rule (state, counters, expiry, code hash), so MongoDB's per-document atomicity makes the rule
 * hold; the per-phone send limit is the unique index on the send slots.
 */
@Component
class MongoChallengeStore implements ChallengeStore {

  private static final FindAndModifyOptions RETURN_NEW =
      FindAndModifyOptions.options().returnNew(true);

  private final ReactiveMongoTemplate mongo;

  MongoChallengeStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
    // Start-up only: the idempotency key and the send slots must be unique before the first
    // request is served; the slots' index is the per-phone send limit.
    Flux.concat(
            index(new Index(IDEMPOTENCY_KEY, Sort.Direction.ASC).unique().sparse()),
            index(
                new Index(SEND_SLOTS, Sort.Direction.ASC).named(SendSlots.INDEX).unique().sparse()),
            index(new Index(STATE, Sort.Direction.ASC).on(EXPIRES_AT, Sort.Direction.ASC)),
            // The outbox relay's query: sparse, only challenges with unpublished events, so the
            // relay never scans the whole collection on a real MongoDB.
            index(new Index(Outbox.FIELD + ".createdAt", Sort.Direction.ASC).sparse()))
        .then()
        .block(Duration.ofSeconds(30));
  }

  private Mono<String> index(Index index) {
    return mongo.indexOps(COLLECTION).createIndex(index);
  }

  @Override
  public Mono<Challenge> find(String id) {
    return mongo
        .findById(id, ChallengeDocument.class, COLLECTION)
        .map(ChallengeDocument::toChallenge);
  }

  @Override
  public Mono<Challenge> findByIdempotencyKey(String idempotencyKey) {
    return mongo
        .findOne(
            Query.query(Criteria.where(IDEMPOTENCY_KEY).is(idempotencyKey)),
            ChallengeDocument.class,
            COLLECTION)
        .map(ChallengeDocument::toChallenge);
  }

  @Override
  public Mono<Challenge> insert(Challenge challenge, List<OutboxEvent> events, String slot) {
    // The insert is the whole write: the challenge, its events and its per-phone send slot.
    return mongo
        .insert(ChallengeDocument.of(challenge.withSendSlots(List.of(slot)), events), COLLECTION)
        .map(ChallengeDocument::toChallenge)
        .onErrorMap(DuplicateKeyException.class, MongoChallengeStore::duplicate);
  }

  @Override
  public Mono<Challenge> resend(
      Challenge resent, int expectedSends, OutboxEvent event, String slot) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(resent.id())
                .and(SENDS)
                .is(expectedSends)
                .and(STATE)
                .is(ChallengeState.PENDING.name()));
    Update update =
        new Update()
            .set(CODE_HASH, resent.codeHash())
            .set(SENDS, resent.sends())
            .set(ChallengeDocument.LAST_SENT_AT, resent.timeline().lastSentAt())
            .set(EXPIRES_AT, resent.expiresAt())
            .set("locale", resent.context().locale())
            .set("ipAddress", resent.context().ipAddress())
            .push(Outbox.FIELD, event)
            .push(SEND_SLOTS, slot);
    return modify(query, update)
        .onErrorMap(DuplicateKeyException.class, MongoChallengeStore::duplicate);
  }

  /** A duplicate key on the send slots' index is a taken slot; else it is the idempotency key. */
  private static RuntimeException duplicate(DuplicateKeyException e) {
    String message = e.getMessage();
    return message != null && message.contains(SendSlots.INDEX)
        ? new SlotTaken()
        : new DuplicateIdempotencyKey();
  }

  @Override
  public Mono<Set<String>> takenSlots(Collection<String> keys) {
    Query query = Query.query(Criteria.where(SEND_SLOTS).in(keys));
    query.fields().include(SEND_SLOTS);
    return mongo
        .find(query, Document.class, COLLECTION)
        .flatMapIterable(doc -> doc.getList(SEND_SLOTS, String.class, List.of()))
        .collect(Collectors.toSet());
  }

  @Override
  public Mono<Challenge> reserveAttempt(String id, Instant now, int maxAttempts) {
    Query query =
        Query.query(
            new Criteria()
                .andOperator(
                    Criteria.where("_id").is(id),
                    Criteria.where(STATE).is(ChallengeState.PENDING.name()),
                    Criteria.where(EXPIRES_AT).gt(now),
                    Criteria.where(FAILED_ATTEMPTS).lt(maxAttempts),
                    new Criteria()
                        .orOperator(
                            Criteria.where(RESERVED_ATTEMPTS).lt(maxAttempts),
                            Criteria.where(RESERVED_ATTEMPTS).exists(false))));
    return modify(query, new Update().inc(RESERVED_ATTEMPTS, 1));
  }

  @Override
  public Mono<Void> releaseAttempt(String id) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(id).and(RESERVED_ATTEMPTS).gt(0)),
            new Update().inc(RESERVED_ATTEMPTS, -1),
            COLLECTION)
        .then();
  }

  @Override
  public Mono<Challenge> markVerified(String id, byte[] codeHash, Instant now, OutboxEvent event) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(id)
                .and(STATE)
                .is(ChallengeState.PENDING.name())
                .and(CODE_HASH)
                .is(codeHash)
                .and(EXPIRES_AT)
                .gt(now));
    // The right code is no failure: its reserved attempt is given back.
    Update update =
        new Update()
            .set(STATE, ChallengeState.VERIFIED.name())
            .set("verifiedAt", now)
            .inc(RESERVED_ATTEMPTS, -1)
            .push(Outbox.FIELD, event);
    return modify(query, update);
  }

  @Override
  public Mono<Challenge> countFailure(String id) {
    return modify(Query.query(Criteria.where("_id").is(id)), new Update().inc(FAILED_ATTEMPTS, 1));
  }

  @Override
  public Mono<Void> append(String id, OutboxEvent event) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(id)),
            new Update().push(Outbox.FIELD, event),
            COLLECTION)
        .then();
  }

  @Override
  public Mono<Challenge> markClaimed(
      String id, ChallengeState from, String userId, Instant now, OutboxEvent event) {
    Query query =
        Query.query(
            Criteria.where("_id").is(id).and(STATE).is(from.name()).and(EXPIRES_AT).gt(now));
    Update update =
        new Update()
            .set(STATE, ChallengeState.CLAIMED.name())
            .set("claimedAt", now)
            .set("claimedBy", userId)
            .push(Outbox.FIELD, event);
    return modify(query, update);
  }

  @Override
  public Flux<Challenge> dueForExpiry(Instant now, int limit) {
    return mongo
        .find(due(null, now).limit(limit), ChallengeDocument.class, COLLECTION)
        .map(ChallengeDocument::toChallenge);
  }

  @Override
  public Mono<Challenge> markExpired(String id, Instant now, OutboxEvent event) {
    return modify(
        due(id, now),
        new Update().set(STATE, ChallengeState.EXPIRED.name()).push(Outbox.FIELD, event));
  }

  private static Query due(String id, Instant now) {
    Criteria scope = id == null ? new Criteria() : Criteria.where("_id").is(id);
    return Query.query(scope.and(STATE).is(ChallengeState.PENDING.name()).and(EXPIRES_AT).lte(now));
  }

  @Override
  public Mono<Long> purge(Instant cutoff) {
    Query old =
        Query.query(
            Criteria.where(EXPIRES_AT)
                .lt(cutoff)
                .and(STATE)
                .ne(ChallengeState.PENDING.name())
                .and(Outbox.FIELD)
                .size(0));
    return mongo.remove(old, COLLECTION).map(r -> r.getDeletedCount());
  }

  private Mono<Challenge> modify(Query query, Update update) {
    return mongo
        .findAndModify(query, update, RETURN_NEW, ChallengeDocument.class, COLLECTION)
        .map(ChallengeDocument::toChallenge);
  }
}
