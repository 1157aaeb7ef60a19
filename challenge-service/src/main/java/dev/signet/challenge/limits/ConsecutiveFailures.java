package dev.signet.challenge.limits;

import dev.signet.challenge.config.ChallengeProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
 * Wrong codes in a row per phone number, across challenges (NIST SP 800-63B 3.1.3.2): a fresh
 * challenge or a resend never resets the count, only a successful verification does. At the cap,
 * verification is refused until {@code failureLockout} after the last failure.
 */
@Component
public class ConsecutiveFailures {

  static final String COLLECTION = "consecutiveFailures";

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;
  private final int cap;
  private final Duration lockout;

  ConsecutiveFailures(ReactiveMongoTemplate mongo, Clock clock, ChallengeProperties properties) {
    this.mongo = mongo;
    this.clock = clock;
    this.cap = properties.limits().consecutiveFailures();
    this.lockout = properties.limits().failureLockout();
  }

  /**
   * Completes empty while under the cap, else fails with 429 and the time until the lockout ends.
   */
  public Mono<Void> check(String subject) {
    Instant now = clock.instant();
    return mongo
        .findById(subject, Document.class, COLLECTION)
        .flatMap(
            doc -> {
              int count = doc.getInteger("count", 0);
              Instant last = doc.getDate("lastFailureAt").toInstant();
              if (count < cap) {
                return Mono.empty();
              }
              Instant lockoutEnds = last.plus(lockout);
              if (lockoutEnds.isAfter(now)) {
                return Mono.error(
                    new RateLimiter.TooManyRequestsException(
                        "Too many failed verifications for this phone number.",
                        Math.max(1, Duration.between(now, lockoutEnds).toSeconds())));
              }
              // The lockout is over: start counting again.
              return reset(subject);
            });
  }

  /** Counts one more failure and returns the new count. */
  public Mono<Integer> recordFailure(String subject) {
    Query query = Query.query(Criteria.where("_id").is(subject));
    Update update = new Update().inc("count", 1).set("lastFailureAt", Date.from(clock.instant()));
    return mongo
        .findAndModify(
            query,
            update,
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        .onErrorResume(
            DuplicateKeyException.class,
            e ->
                mongo.findAndModify(
                    query,
                    update,
                    FindAndModifyOptions.options().returnNew(true),
                    Document.class,
                    COLLECTION))
        .map(doc -> doc.getInteger("count", 0));
  }

  public Mono<Void> reset(String subject) {
    return mongo.remove(Query.query(Criteria.where("_id").is(subject)), COLLECTION).then();
  }
}
