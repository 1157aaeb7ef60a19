package dev.signet.challenge.limits;

import dev.signet.challenge.outcome.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Fixed-window counters in MongoDB, shared by every instance. Each hit is one atomic upsert with
 * {@code $inc}, so the limit holds under any concurrency and across instances; a hit over the limit
 * is refused with the seconds until the window ends. Rejected hits count too: hammering a limit
 * does not make it open sooner. A refusal is returned as a value ({@link Refusal.TooManyRequests});
 * an admitted hit completes empty.
 */
@Component
public class RateLimiter {

  static final String COLLECTION = "limits";

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  RateLimiter(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** A limit: at most {@code max} hits per {@code window}. */
  public record Limit(String name, int max, Duration window, String description) {}

  /**
   * Counts a hit for {@code subject} and completes empty, or emits the refusal when the window's
   * count passes the limit.
   */
  public Mono<Refusal.TooManyRequests> hit(Limit limit, String subject) {
    Instant now = clock.instant();
    long windowSeconds = limit.window().toSeconds();
    long windowStart = now.getEpochSecond() / windowSeconds * windowSeconds;
    Instant windowEnd = Instant.ofEpochSecond(windowStart + windowSeconds);
    String id = limit.name() + ":" + subject + ":" + windowStart;
    Query query = Query.query(Criteria.where("_id").is(id));
    Update update = new Update().inc("count", 1).setOnInsert("expiresAt", Date.from(windowEnd));
    return mongo
        .findAndModify(
            query,
            update,
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        // Two first hits racing on the upsert: one inserts, the other retries as an update.
        .onErrorResume(
            DuplicateKeyException.class,
            e ->
                mongo.findAndModify(
                    query,
                    update,
                    FindAndModifyOptions.options().returnNew(true),
                    Document.class,
                    COLLECTION))
        .flatMap(
            counter -> {
              int count = counter.getInteger("count", 0);
              if (count > limit.max()) {
                long retryAfter = Math.max(1, Duration.between(now, windowEnd).toSeconds());
                return Mono.just(new Refusal.TooManyRequests(limit.description(), retryAfter));
              }
              return Mono.<Refusal.TooManyRequests>empty();
            });
  }

  /**
   * Takes one of the window's {@code max} slots for {@code subject} and completes empty, or emits
   * the refusal when none is left. Unlike {@link #hit}, a refused take counts nothing: a limit
   * whose refusals would otherwise keep it closed for its owner (someone else's hammering) opens
   * when its window ends.
   *
   * <p>One conditional upsert: "the counter, if below the limit, plus one; if there is no counter,
   * a new one at one". When the counter exists and is full, the upsert's insert collides with it
   * (duplicate key): refused. A collision can also mean another first take inserted the counter
   * just before, so the take is tried once more, and only a second collision refuses. A counter the
   * purge deleted in between is simply created again: a take never depends on a counter it read a
   * moment before still being there.
   */
  public Mono<Refusal.TooManyRequests> take(Limit limit, String subject) {
    Instant now = clock.instant();
    long windowSeconds = limit.window().toSeconds();
    long windowStart = now.getEpochSecond() / windowSeconds * windowSeconds;
    Instant windowEnd = Instant.ofEpochSecond(windowStart + windowSeconds);
    String id = limit.name() + ":" + subject + ":" + windowStart;
    Mono<Document> takeOne =
        mongo.findAndModify(
            Query.query(Criteria.where("_id").is(id).and("count").lt(limit.max())),
            new Update().inc("count", 1).setOnInsert("expiresAt", Date.from(windowEnd)),
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION);
    return takeOne
        .onErrorResume(DuplicateKeyException.class, first -> takeOne)
        .map(taken -> Optional.<Refusal.TooManyRequests>empty())
        .onErrorResume(
            DuplicateKeyException.class,
            full ->
                Mono.just(
                    Optional.of(
                        new Refusal.TooManyRequests(
                            limit.description(),
                            Math.max(1, Duration.between(now, windowEnd).toSeconds())))))
        .flatMap(Mono::justOrEmpty);
  }

  /** Deletes counters whose window has ended; the embedded MongoDB server has no TTL expiry. */
  public Mono<Long> purgeExpired() {
    return mongo
        .remove(Query.query(Criteria.where("expiresAt").lt(Date.from(clock.instant()))), COLLECTION)
        .map(result -> result.getDeletedCount());
  }
}
