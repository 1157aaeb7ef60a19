package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.user.UserDocuments.Stored;
import dev.signet.challenge.user.UserOperations.Outcome;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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
import reactor.util.retry.Retry;

/**
 * Users and their authenticators in MongoDB, one document per user. Every change is a
 * read-decide-write loop: the write is conditional on the {@code version} read, carries the
 * change's events in the document's outbox, and is retried from a fresh read when another writer
 * got there first, so concurrent updates never overwrite each other and a state change is never
 * committed without its events.
 *
 * <p>Public so that the challenge and action features can look up and enrol authenticators.
 */
@Component
public class UserStore {

  private static final Logger log = LoggerFactory.getLogger(UserStore.class);
  private static final int MAX_ATTEMPTS = 30;

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final Clock clock;
  private final SecureRandom random;

  UserStore(ReactiveMongoTemplate mongo, Outbox outbox, Clock clock, SecureRandom random) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.clock = clock;
    this.random = random;
  }

  /** A page of users ordered by id; {@code lastEvaluatedUserId} is set when more may follow. */
  public record Page(List<User> users, String lastEvaluatedUserId) {}

  /** The user, or empty when unknown or deleted. */
  public Mono<Optional<User>> find(String userId) {
    return load(userId).map(Stored::user);
  }

  /** The SMS authenticator codes for this user go to (the default one), if the user has any. */
  public Mono<Optional<SmsAuthenticator>> smsAuthenticator(String userId) {
    return find(userId).map(user -> user.flatMap(User::defaultSmsAuthenticator));
  }

  /**
   * Enrols a verified SMS authenticator after the client API verified a code sent to {@code e164};
   * returns the existing authenticator when the user already has this number. Creates the user if
   * unknown.
   */
  public Mono<SmsAuthenticator> enrolVerified(String userId, String e164) {
    return enrolVerified(userId, e164, null, UUID.randomUUID().toString());
  }

  /** As {@link #enrolVerified(String, String)}, naming the challenge and the correlation id. */
  public Mono<SmsAuthenticator> enrolVerified(
      String userId, String e164, String challengeId, String correlationId) {
    // Parsing can refuse the number; deferred so the refusal is an error signal, not a throw.
    return Mono.defer(
        () ->
            enrol(
                userId,
                PhoneNumbers.parse(e164),
                false,
                ChangeSource.CLIENT_API,
                challengeId,
                correlationId));
  }

  /**
   * As {@link #enrolVerified(String, String, String, String)}, with the authenticator id the client
   * API announced when it sent the code, so the id the browser saw is the one stored.
   */
  public Mono<SmsAuthenticator> enrolVerified(
      String userId,
      String e164,
      String userAuthenticatorId,
      String challengeId,
      String correlationId) {
    return Mono.defer(
        () -> {
          PhoneNumbers.Parsed phone = PhoneNumbers.parse(e164);
          return mutate(
              userId,
              correlationId,
              (current, now) ->
                  UserOperations.enrol(
                      current,
                      userId,
                      phone,
                      false,
                      ChangeSource.CLIENT_API,
                      challengeId,
                      now,
                      () -> userAuthenticatorId));
        });
  }

  /**
   * Moves the authenticator to {@code e164} after a code sent there was verified (client API number
   * change); emits an authenticator updated event with the previous number.
   */
  public Mono<SmsAuthenticator> changeNumber(
      String userId,
      String userAuthenticatorId,
      String e164,
      String challengeId,
      String correlationId) {
    return Mono.defer(
        () -> {
          PhoneNumbers.Parsed phone = PhoneNumbers.parse(e164);
          return mutate(
              userId,
              correlationId,
              (current, now) ->
                  UserOperations.changeNumber(
                      current, userAuthenticatorId, phone, challengeId, now));
        });
  }

  /**
   * Records that a code sent to this authenticator was verified (updates {@code lastVerifiedAt} and
   * emits an authenticator updated event). Empty when the authenticator no longer exists.
   */
  public Mono<Optional<SmsAuthenticator>> recordVerification(
      String userId, String userAuthenticatorId, String challengeId, String correlationId) {
    return mutate(
        userId,
        correlationId,
        (current, now) -> UserOperations.verified(current, userAuthenticatorId, challengeId, now));
  }

  /** Applies a partial update, creating the user if unknown; returns the user after the write. */
  public Mono<User> update(String userId, UserPatch patch, String correlationId) {
    return mutate(
        userId,
        correlationId,
        (current, now) -> UserOperations.update(current, userId, patch, now));
  }

  Mono<SmsAuthenticator> enrol(
      String userId,
      PhoneNumbers.Parsed phone,
      boolean makeDefault,
      ChangeSource source,
      String challengeId,
      String correlationId) {
    return mutate(
        userId,
        correlationId,
        (current, now) ->
            UserOperations.enrol(
                current, userId, phone, makeDefault, source, challengeId, now, this::newId));
  }

  Mono<SmsAuthenticator> removeAuthenticator(
      String userId, String userAuthenticatorId, String correlationId) {
    return mutate(
        userId,
        correlationId,
        (current, now) -> UserOperations.removeAuthenticator(current, userAuthenticatorId, now));
  }

  Mono<Boolean> delete(String userId, String correlationId) {
    return mutate(userId, correlationId, (current, now) -> UserOperations.delete(current));
  }

  Mono<Page> query(
      PhoneNumbers.Parsed phone, String username, String email, int limit, String after) {
    List<Criteria> criteria = new ArrayList<>();
    criteria.add(Criteria.where(UserDocuments.DELETED).ne(true));
    if (phone != null) {
      criteria.add(
          new Criteria()
              .orOperator(
                  Criteria.where(UserDocuments.PHONE_NUMBER).is(phone.e164()),
                  Criteria.where(UserDocuments.AUTHENTICATORS + "." + UserDocuments.PHONE_NUMBER)
                      .is(phone.e164())));
    }
    if (username != null) {
      criteria.add(Criteria.where(UserDocuments.USERNAME).is(username));
    }
    if (email != null) {
      criteria.add(Criteria.where(UserDocuments.EMAIL).is(email));
    }
    if (after != null) {
      criteria.add(Criteria.where(UserDocuments.ID).gt(after));
    }
    Query query =
        Query.query(new Criteria().andOperator(criteria))
            .with(Sort.by(Sort.Direction.ASC, UserDocuments.ID))
            .limit(limit + 1);
    query.fields().exclude(Outbox.FIELD);
    return mongo
        .find(query, Document.class, UserDocuments.COLLECTION)
        .map(UserDocuments::toUser)
        .collectList()
        .map(
            users ->
                users.size() > limit
                    ? new Page(users.subList(0, limit), users.get(limit - 1).userId())
                    : new Page(users, null));
  }

  /** Indexes for the lookups of {@code GET /v1/users} and for the outbox relay's scan. */
  @EventListener(ApplicationReadyEvent.class)
  void createIndexes() {
    var ops = mongo.indexOps(UserDocuments.COLLECTION);
    Flux.just(
            UserDocuments.PHONE_NUMBER,
            UserDocuments.AUTHENTICATORS + "." + UserDocuments.PHONE_NUMBER,
            UserDocuments.EMAIL,
            UserDocuments.USERNAME,
            Outbox.FIELD + ".createdAt")
        .concatMap(field -> ops.createIndex(new Index().on(field, Sort.Direction.ASC)))
        .then()
        .subscribe(null, e -> log.warn("users index creation failed reason={}", e.toString()));
  }

  private <R> Mono<R> mutate(
      String userId,
      String correlationId,
      BiFunction<Optional<User>, Instant, Outcome<R>> transition) {
    return Mono.defer(
            () ->
                load(userId)
                    .flatMap(
                        stored -> {
                          Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                          Outcome<R> outcome = transition.apply(stored.user(), now);
                          if (!outcome.write()) {
                            return Mono.just(outcome.result());
                          }
                          List<OutboxEvent> events =
                              UserEvents.wrap(outbox, outcome.changes(), correlationId, now);
                          return write(userId, stored, outcome.next(), events)
                              .then(outbox.publish(UserDocuments.COLLECTION, userId, events))
                              .then(
                                  outcome.next().isEmpty()
                                      ? removeTombstone(userId)
                                      : Mono.<Void>empty())
                              .doOnSuccess(
                                  done ->
                                      log.info(
                                          "user written userId={} version={} events={}",
                                          userId,
                                          stored.version() + 1,
                                          events.size()))
                              .thenReturn(outcome.result());
                        }))
        .retryWhen(
            Retry.backoff(MAX_ATTEMPTS, Duration.ofMillis(2))
                .maxBackoff(Duration.ofMillis(50))
                .jitter(0.5)
                .filter(WriteConflict.class::isInstance)
                .onRetryExhaustedThrow(
                    (spec, signal) ->
                        new ApiException(
                            ApiError.TOO_MANY_REQUESTS,
                            "The user is being changed concurrently; retry the request.")));
  }

  private Mono<Stored> load(String userId) {
    Query query = Query.query(Criteria.where(UserDocuments.ID).is(userId));
    query.fields().exclude(Outbox.FIELD);
    return mongo
        .findOne(query, Document.class, UserDocuments.COLLECTION)
        .map(UserDocuments::read)
        .defaultIfEmpty(Stored.NONE);
  }

  private Mono<Void> write(
      String userId, Stored stored, Optional<User> next, List<OutboxEvent> events) {
    List<Document> pending = events.stream().map(OutboxEvent::toDocument).toList();
    if (!stored.exists()) {
      Document doc = new Document(UserDocuments.ID, userId);
      doc.put(UserDocuments.VERSION, 1L);
      doc.put(UserDocuments.DELETED, false);
      doc.putAll(UserDocuments.attributes(next.orElseThrow()));
      doc.put(Outbox.FIELD, pending);
      return mongo
          .insert(doc, UserDocuments.COLLECTION)
          .onErrorMap(DuplicateKeyException.class, e -> new WriteConflict())
          .then();
    }
    Update update = new Update();
    if (next.isPresent()) {
      UserDocuments.attributes(next.get()).forEach(update::set);
      update.set(UserDocuments.DELETED, false);
    } else {
      // A deleted user keeps no personal data: only the id, the version and the pending events.
      UserDocuments.ATTRIBUTES.forEach(update::unset);
      update.set(UserDocuments.DELETED, true);
    }
    update.inc(UserDocuments.VERSION, 1L);
    update.push(Outbox.FIELD).each(pending.toArray());
    Query query =
        Query.query(
            Criteria.where(UserDocuments.ID)
                .is(userId)
                .and(UserDocuments.VERSION)
                .is(stored.version()));
    return mongo
        .updateFirst(query, update, UserDocuments.COLLECTION)
        .flatMap(
            result ->
                result.getMatchedCount() == 1
                    ? Mono.<Void>empty()
                    : Mono.error(new WriteConflict()));
  }

  /** Drops a deleted user's tombstone once its events are out; the relay's leftovers keep it. */
  private Mono<Void> removeTombstone(String userId) {
    Query query =
        Query.query(
            Criteria.where(UserDocuments.ID)
                .is(userId)
                .and(UserDocuments.DELETED)
                .is(true)
                .and(Outbox.FIELD)
                .size(0));
    return mongo.remove(query, UserDocuments.COLLECTION).then();
  }

  /** A random (version 4) UUID drawn from the injected SecureRandom. */
  private String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (bytes[i] & 0xff);
      lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }

  /** Another writer changed the user between our read and our write. */
  private static final class WriteConflict extends RuntimeException {
    WriteConflict() {
      super("user write conflict", null, false, false);
    }
  }
}
