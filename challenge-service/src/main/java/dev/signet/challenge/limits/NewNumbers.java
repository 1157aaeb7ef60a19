package dev.signet.challenge.limits;

import dev.signet.challenge.config.NewNumberProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
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
 * Caps how many distinct phone numbers one user, or one tracked action attempt, may have codes sent
 * to within a window. A real user adds or changes one number, maybe mistypes it once; a pumping
 * script behind one sign-up walks through a list of premium numbers. One document per subject and
 * fixed window ({@code new_numbers}, {@code _id = scope:subject:windowStart}) holds the hashes of
 * the numbers admitted so far: a number already in it passes without a write, a new one is added by
 * one conditional update ({@code count < max}, {@code $addToSet} and {@code $inc}), so the cap
 * holds under any concurrency and across instances. Refused numbers are not added.
 */
@Component
public class NewNumbers {

  static final String COLLECTION = "new_numbers";

  /** Whose distinct numbers are counted. */
  public enum Scope {
    /** A user, across every flow that names them. */
    USER,
    /** One tracked action attempt (one track token). */
    ACTION
  }

  /**
   * A number was refused: the subject reached its cap in this window.
   *
   * @param scope whose cap
   * @param max the cap
   * @param window its window
   * @param retryAfterSeconds until the window ends
   */
  public record Refused(Scope scope, int max, Duration window, long retryAfterSeconds) {}

  private final ReactiveMongoTemplate mongo;
  private final NewNumberProperties properties;
  private final Clock clock;

  NewNumbers(ReactiveMongoTemplate mongo, NewNumberProperties properties, Clock clock) {
    this.mongo = mongo;
    this.properties = properties;
    this.clock = clock;
  }

  /** The cap of {@code scope}; 0 is off. */
  public int max(Scope scope) {
    return scope == Scope.USER ? properties.perUser() : properties.perAction();
  }

  /**
   * Admits {@code e164} for {@code subject}: completes empty when the number is already counted or
   * fits under the cap (and is now counted), or with the refusal.
   */
  public Mono<Refused> admit(Scope scope, String subject, String e164) {
    int max = max(scope);
    if (max <= 0 || subject == null || subject.isBlank()) {
      return Mono.empty();
    }
    Duration window = properties.window();
    Instant now = clock.instant();
    long windowSeconds = window.toSeconds();
    long windowStart = now.getEpochSecond() / windowSeconds * windowSeconds;
    Instant windowEnd = Instant.ofEpochSecond(windowStart + windowSeconds);
    String id = scope.name().toLowerCase() + ":" + sha256(subject) + ":" + windowStart;
    String number = sha256(e164);
    Refused refused =
        new Refused(scope, max, window, Math.max(1, Duration.between(now, windowEnd).toSeconds()));
    Query known = Query.query(Criteria.where("_id").is(id).and("numbers").is(number));
    // Matches only while there is room and the number is not in yet.
    Query room =
        Query.query(Criteria.where("_id").is(id).and("count").lt(max).and("numbers").ne(number));
    Update add =
        new Update()
            .addToSet("numbers", number)
            .inc("count", 1)
            .setOnInsert("expiresAt", Date.from(windowEnd));
    return mongo
        .exists(known, COLLECTION)
        .flatMap(
            already ->
                already
                    ? Mono.<Refused>empty()
                    : add(room, add)
                        // The document exists but did not match: full, or the number went in
                        // meanwhile (or two first upserts raced, and the other inserted). Tried
                        // once more as an upsert too: a window the purge deleted meanwhile is
                        // created again rather than read as full.
                        .onErrorResume(
                            DuplicateKeyException.class,
                            e ->
                                add(room, add)
                                    .onErrorResume(
                                        DuplicateKeyException.class,
                                        again -> mongo.exists(known, COLLECTION)))
                        .flatMap(
                            admitted -> admitted ? Mono.<Refused>empty() : Mono.just(refused)));
  }

  /** The number added to the window's document (created when missing): true when it went in. */
  private Mono<Boolean> add(Query room, Update add) {
    return mongo
        .findAndModify(
            room,
            add,
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        .map(added -> Boolean.TRUE);
  }

  /** Deletes windows that have ended; the embedded MongoDB server has no TTL expiry. */
  public Mono<Long> purgeExpired() {
    return mongo
        .remove(Query.query(Criteria.where("expiresAt").lt(Date.from(clock.instant()))), COLLECTION)
        .map(result -> result.getDeletedCount());
  }

  /**
   * Numbers and user ids are stored hashed: the collection only has to tell them apart. The same
   * SHA-256 as sms-dispatcher's per-number counter.
   */
  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
