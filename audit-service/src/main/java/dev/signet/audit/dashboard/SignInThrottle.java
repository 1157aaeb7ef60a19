package dev.signet.audit.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.publisher.Mono;

/**
 * Slows down guessing of the management secret at the sign-in form: at most {@link #LIMIT} wrong
 * secrets per client address in a fixed window of {@link #WINDOW}, counted in MongoDB with one
 * atomic upsert per failure, so every instance shares the count. The address is stored only as a
 * SHA-256 hash. Behind a reverse proxy every operator shares the proxy's address; the limit is high
 * enough for typos and low enough to make guessing a generated secret hopeless anyway.
 */
final class SignInThrottle {

  static final String COLLECTION = "dashboard_sign_in_failures";
  static final int LIMIT = 20;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  SignInThrottle(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** How long this address must wait before trying again; zero when it may try now. */
  Mono<Duration> retryAfter(String address) {
    Instant window = windowStart();
    return mongo
        .findById(id(address, window), Document.class, COLLECTION)
        .map(
            d ->
                d.get("failures", Number.class).intValue() >= LIMIT
                    ? Duration.between(clock.instant(), window.plus(WINDOW))
                    : Duration.ZERO)
        .defaultIfEmpty(Duration.ZERO);
  }

  /** Counts one wrong secret of this address, and drops the windows that have ended. */
  Mono<Void> failed(String address) {
    Instant window = windowStart();
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(id(address, window))),
            new Update().inc("failures", 1).setOnInsert("windowStart", Date.from(window)),
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        .then(
            mongo.remove(
                Query.query(Criteria.where("windowStart").lt(Date.from(window))), COLLECTION))
        .then();
  }

  private Instant windowStart() {
    long window = WINDOW.toMillis();
    return Instant.ofEpochMilli(clock.millis() / window * window);
  }

  private static String id(String address, Instant window) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(("signet-dashboard-sign-in\n" + address).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash) + "/" + window.getEpochSecond();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
