package dev.signet.audit.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Slows down password guessing at the sign-in form: at most {@link #ACCOUNT_LIMIT} attempts per
 * user name and {@link #ADDRESS_LIMIT} per client address in a fixed window of {@link #WINDOW}.
 *
 * <p>Every attempt is counted <em>before</em> its password is checked, by one atomic {@code $inc}
 * upsert per counter that returns the new count; only an attempt whose counts are both within the
 * limits gets a password check. A burst of parallel guesses therefore never gets more checks than
 * the limit (a read-then-write check would let all of them through). A successful sign-in gives
 * back its own attempt and nothing else, so an attacker's count on an address is not reset by an
 * operator signing in from it. The counts live in MongoDB, shared by every instance; user names and
 * addresses are stored only as SHA-256 hashes.
 */
final class SignInThrottle {

  static final String COLLECTION = "dashboard_sign_in_attempts";
  static final int ACCOUNT_LIMIT = 10;
  static final int ADDRESS_LIMIT = 20;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  /** The counters of one attempt, to give it back when it succeeds. */
  record Attempt(String accountKey, String addressKey, Duration retryAfter) {
    boolean allowed() {
      return retryAfter.isZero();
    }
  }

  SignInThrottle(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Counts one attempt; {@link Attempt#allowed()} says whether its password may be checked. */
  Mono<Attempt> attempt(String username, String address) {
    Instant window = windowStart();
    String account = id("account", username.toLowerCase(Locale.ROOT), window);
    String from = id("address", address, window);
    return count(account, window)
        .zipWith(count(from, window))
        .map(
            counts -> {
              boolean allowed = counts.getT1() <= ACCOUNT_LIMIT && counts.getT2() <= ADDRESS_LIMIT;
              Duration wait =
                  allowed
                      ? Duration.ZERO
                      : maxOneSecond(Duration.between(clock.instant(), window.plus(WINDOW)));
              return new Attempt(account, from, wait);
            })
        .flatMap(attempt -> sweep(window).thenReturn(attempt));
  }

  /** A successful sign-in: gives back its own attempt on both counters. */
  Mono<Void> succeeded(Attempt attempt) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(attempt.accountKey())),
            new Update().inc("attempts", -1),
            COLLECTION)
        .then(
            mongo.updateFirst(
                Query.query(Criteria.where("_id").is(attempt.addressKey())),
                new Update().inc("attempts", -1),
                COLLECTION))
        .then();
  }

  private Mono<Integer> count(String id, Instant window) {
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(id)),
            new Update().inc("attempts", 1).setOnInsert("windowStart", Date.from(window)),
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        // Two first attempts racing to insert the same counter: one loses with a duplicate key and
        // simply increments the counter the other created.
        .retryWhen(Retry.max(3).filter(DuplicateKeyException.class::isInstance))
        .map(d -> d.get("attempts", Number.class).intValue());
  }

  /**
   * Drops ended windows (a TTL index does the same on MongoDB; the check here is for any store).
   */
  private Mono<Void> sweep(Instant window) {
    return mongo
        .remove(Query.query(Criteria.where("windowStart").lt(Date.from(window))), COLLECTION)
        .then();
  }

  private static Duration maxOneSecond(Duration wait) {
    return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
  }

  private Instant windowStart() {
    long window = WINDOW.toMillis();
    return Instant.ofEpochMilli(clock.millis() / window * window);
  }

  private static String id(String kind, String value, Instant window) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("signet-dashboard-sign-in\n" + kind + "\n" + value)
                      .getBytes(StandardCharsets.UTF_8));
      return kind + "/" + HexFormat.of().formatHex(hash) + "/" + window.getEpochSecond();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
