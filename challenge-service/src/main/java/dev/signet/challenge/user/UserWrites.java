package dev.signet.challenge.user;

import dev.signet.challenge.user.UserDocuments.Stored;
import dev.signet.challenge.user.UserOperations.Outcome;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The users collection's write loop, one document per user. Every change is a read-decide-write
 * loop: the write is conditional on the {@code version} read, carries the change's events in the
 * document's outbox, and is retried from a fresh read when another writer got there first, so
 * concurrent updates never overwrite each other and a state change is never committed without its
 * events.
 */
@Component
class UserWrites {

  private static final Logger log = LoggerFactory.getLogger(UserWrites.class);
  private static final int MAX_ATTEMPTS = 30;

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final Clock clock;

  UserWrites(ReactiveMongoTemplate mongo, Outbox outbox, Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.clock = clock;
  }

  <R> Mono<R> mutate(
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

  Mono<Stored> load(String userId) {
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

  /** Another writer changed the user between our read and our write. */
  private static final class WriteConflict extends RuntimeException {
    WriteConflict() {
      super("user write conflict", null, false, false);
    }
  }
}
