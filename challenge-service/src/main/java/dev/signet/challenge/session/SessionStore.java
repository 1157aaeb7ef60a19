package dev.signet.challenge.session;

import dev.signet.challenge.session.Session.RevocationReason;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
 * Sessions in MongoDB, every state change a single conditional write so that any number of
 * instances agree without locks:
 *
 * <ul>
 *   <li>{@code sessions}: one document per session, with its outbox; {@code source} (the action
 *       attempt of the success token) is unique, so one proof makes at most one session;
 *   <li>{@code session_refresh_tokens}: one document per refresh token ever issued, keyed by its
 *       SHA-256; spending one is a conditional update ({@code spentAt} unset → now), which exactly
 *       one of any number of concurrent refreshes wins;
 *   <li>{@code session_user_revocations}: per user, the time before which every session counts as
 *       revoked ({@code POST /v1/sessions/user/revoke}), read on every validate and refresh.
 * </ul>
 */
@Component
class SessionStore {

  static final String SESSIONS = "sessions";
  static final String REFRESH_TOKENS = "session_refresh_tokens";
  static final String USER_REVOCATIONS = "session_user_revocations";

  private final ReactiveMongoTemplate mongo;

  SessionStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
    // Start-up only, and before the first request: the unique source is what makes a success
    // token single-use, so the service must not answer without it.
    mongo
        .indexOps(SESSIONS)
        .createIndex(new Index("source", Sort.Direction.ASC).unique())
        .then(mongo.indexOps(SESSIONS).createIndex(new Index("userId", Sort.Direction.ASC)))
        .then(mongo.indexOps(SESSIONS).createIndex(new Index("expiresAt", Sort.Direction.ASC)))
        .then(
            mongo.indexOps(REFRESH_TOKENS).createIndex(new Index("expiresAt", Sort.Direction.ASC)))
        .then(
            mongo
                .indexOps(SESSIONS)
                .createIndex(new Index(Outbox.FIELD + ".createdAt", Sort.Direction.ASC).sparse()))
        .block(Duration.ofSeconds(30));
  }

  /** Inserts a new session; {@code false} when its source already made one. */
  Mono<Boolean> insert(Session session, String source, List<OutboxEvent> events) {
    Document doc =
        new Document("_id", session.sessionId())
            .append("source", source)
            .append("userId", session.userId())
            .append("clientId", session.clientId())
            .append("actionCode", session.actionCode())
            .append("idempotencyKey", session.idempotencyKey())
            .append("verificationMethod", session.verificationMethod())
            .append("sourceTokenId", session.sourceTokenId())
            .append("createdAt", Date.from(session.createdAt()))
            .append("expiresAt", Date.from(session.expiresAt()))
            .append("generation", session.generation())
            .append("accessTokenId", session.accessTokenId())
            .append(Outbox.FIELD, outboxDocuments(events));
    return mongo
        .insert(doc, SESSIONS)
        .thenReturn(true)
        .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
  }

  Mono<Session> find(String sessionId) {
    return mongo
        .findOne(Query.query(Criteria.where("_id").is(sessionId)), Document.class, SESSIONS)
        .map(SessionStore::session);
  }

  /** Stores a newly issued refresh token (by hash) of {@code generation} of a session. */
  Mono<Void> insertRefreshToken(
      String hash, Session session, int generation, Instant issuedAt, Instant expiresAt) {
    Document doc =
        new Document("_id", hash)
            .append("sessionId", session.sessionId())
            .append("userId", session.userId())
            .append("generation", generation)
            .append("issuedAt", Date.from(issuedAt))
            .append("expiresAt", Date.from(expiresAt));
    return mongo.insert(doc, REFRESH_TOKENS).then();
  }

  /** A stored refresh token: whose it is, which generation, and whether it was already spent. */
  record StoredRefreshToken(
      String sessionId, String userId, int generation, Instant expiresAt, boolean spent) {}

  /**
   * Spends the refresh token with this hash: exactly one caller gets it back unspent; every other
   * (concurrent or later) caller gets it with {@code spent} set, or nothing for an unknown hash.
   */
  Mono<StoredRefreshToken> spend(String hash, Instant now) {
    Query unspent = Query.query(Criteria.where("_id").is(hash).and("spentAt").isNull());
    return mongo
        .findAndModify(
            unspent,
            new Update().set("spentAt", Date.from(now)),
            FindAndModifyOptions.options().returnNew(false),
            Document.class,
            REFRESH_TOKENS)
        .map(doc -> refreshToken(doc, false))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    mongo
                        .findOne(
                            Query.query(Criteria.where("_id").is(hash)),
                            Document.class,
                            REFRESH_TOKENS)
                        .map(doc -> refreshToken(doc, true))));
  }

  /**
   * Moves a live session of {@code generation} to the next one with a new access token; empty when
   * the session was revoked or refreshed meanwhile.
   */
  Mono<Session> advance(
      Session session, String accessTokenId, Instant now, List<OutboxEvent> events) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(session.sessionId())
                .and("generation")
                .is(session.generation())
                .and("revokedAt")
                .isNull());
    Update update =
        new Update()
            .set("accessTokenId", accessTokenId)
            .set("refreshedAt", Date.from(now))
            .inc("generation", 1);
    pushAll(update, events);
    return mongo
        .findAndModify(
            query, update, FindAndModifyOptions.options().returnNew(true), Document.class, SESSIONS)
        .map(SessionStore::session);
  }

  /**
   * Revokes a live session; empty when it was revoked already (then nothing is written, and no
   * event is stored).
   */
  Mono<Session> revoke(
      String sessionId, RevocationReason reason, Instant now, List<OutboxEvent> events) {
    Query query = Query.query(Criteria.where("_id").is(sessionId).and("revokedAt").isNull());
    Update update =
        new Update().set("revokedAt", Date.from(now)).set("revokedReason", reason.name());
    pushAll(update, events);
    return mongo
        .findAndModify(
            query, update, FindAndModifyOptions.options().returnNew(true), Document.class, SESSIONS)
        .map(SessionStore::session);
  }

  /** Stores events on a session without changing its state (a reuse of a revoked session). */
  Mono<Void> append(String sessionId, List<OutboxEvent> events) {
    Update update = new Update();
    pushAll(update, events);
    return mongo
        .updateFirst(Query.query(Criteria.where("_id").is(sessionId)), update, SESSIONS)
        .then();
  }

  /** The live sessions of a user. */
  Flux<Session> live(String userId) {
    return mongo
        .find(
            Query.query(Criteria.where("userId").is(userId).and("revokedAt").isNull()),
            Document.class,
            SESSIONS)
        .map(SessionStore::session);
  }

  /** Every session of the user created up to {@code now} counts as revoked from now on. */
  Mono<Void> markUserRevoked(String userId, Instant now) {
    return mongo
        .upsert(
            Query.query(Criteria.where("_id").is(userId)),
            new Update().set("revokedBefore", Date.from(now)),
            USER_REVOCATIONS)
        .then();
  }

  /** When the user's sessions were last revoked all at once; {@link Instant#MIN} when never. */
  Mono<Instant> userRevokedBefore(String userId) {
    return mongo
        .findOne(Query.query(Criteria.where("_id").is(userId)), Document.class, USER_REVOCATIONS)
        .map(doc -> doc.getDate("revokedBefore").toInstant())
        .defaultIfEmpty(Instant.MIN);
  }

  /**
   * Deletes sessions and refresh tokens whose end lies before {@code cutoff}: nothing in them can
   * be used any more (the embedded server has no TTL expiry, so this is done by hand).
   */
  Mono<Long> purgeEndedBefore(Instant cutoff) {
    Query ended = Query.query(Criteria.where("expiresAt").lt(Date.from(cutoff)));
    return mongo
        .remove(ended, REFRESH_TOKENS)
        .zipWith(mongo.remove(ended, SESSIONS))
        .map(t -> t.getT1().getDeletedCount() + t.getT2().getDeletedCount());
  }

  private static StoredRefreshToken refreshToken(Document doc, boolean spent) {
    return new StoredRefreshToken(
        doc.getString("sessionId"),
        doc.getString("userId"),
        doc.getInteger("generation", 0),
        doc.getDate("expiresAt").toInstant(),
        spent);
  }

  private static Session session(Document doc) {
    Date revokedAt = doc.getDate("revokedAt");
    String reason = doc.getString("revokedReason");
    return new Session(
        doc.getString("_id"),
        doc.getString("userId"),
        doc.getString("clientId"),
        doc.getString("actionCode"),
        doc.getString("idempotencyKey"),
        doc.getString("verificationMethod"),
        doc.getString("sourceTokenId"),
        doc.getDate("createdAt").toInstant(),
        doc.getDate("expiresAt").toInstant(),
        doc.getInteger("generation", 0),
        doc.getString("accessTokenId"),
        revokedAt == null ? null : revokedAt.toInstant(),
        reason == null ? null : RevocationReason.valueOf(reason));
  }

  /**
   * One {@code $push} with {@code $each}: a second push on the same field would replace the first.
   */
  private static void pushAll(Update update, List<OutboxEvent> events) {
    if (!events.isEmpty()) {
      update.push(Outbox.FIELD).each(outboxDocuments(events).toArray());
    }
  }

  private static List<Document> outboxDocuments(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::toDocument).toList();
  }
}
