package dev.signet.sms.guard;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Decides whether a message may go out under the send policy in force ({@link SendPolicies}):
 * destination region allowed and not blocked, prefix not blocked, then per-number, per-prefix and
 * per-region send velocity and the daily global budget. Counters are MongoDB documents per fixed
 * window ({@code sms_velocity}, {@code _id = kind:key:windowStart}): a send is let through by a
 * counter only by an atomic conditional increment ({@code count < limit}), so limits hold exactly
 * across instances, and all counters of a send go to MongoDB in one bulk write (one round trip).
 * Refused sends count too, in {@code refused}: pumping shows as attempts. The per-number key is a
 * SHA-256 of the number, so the collection holds no phone numbers in clear; the prefix (all but the
 * last four digits) is not personal on its own. Every counter counts every checked send, also when
 * another one blocks it.
 */
@Component
public class SendGuard {

  static final String COLLECTION = "sms_velocity";

  /** Sends a counter let through in its window (including sends another counter blocked). */
  static final String ALLOWED = "count";

  /** Sends a counter refused in its window. */
  static final String REFUSED = "refused";

  private static final String EXPIRES_AT = "expiresAt";

  /** Which guard fired; names match the {@code SmsBlockReason} symbols. */
  public enum Reason {
    COUNTRY_NOT_ALLOWED,
    COUNTRY_CONVERSION_LOW,
    PREFIX_BLOCKED,
    NUMBER_VELOCITY,
    PREFIX_VELOCITY,
    COUNTRY_VELOCITY,
    DAILY_BUDGET_EXCEEDED,
    TEST_NUMBER_IN_PRODUCTION
  }

  /** The guard's answer. */
  public sealed interface Verdict {}

  /** Nothing fired. */
  public record Allowed() implements Verdict {}

  /**
   * A guard fired.
   *
   * @param limit the counter's limit, null for the allowlist and blocked destinations
   * @param observed the count with this send, null for the allowlist and blocked destinations
   * @param windowSeconds the counter's window, null for the allowlist and blocked destinations
   * @param detail short explanation for operators; no phone number
   * @param shadow the policy in force only reports: the message is sent anyway
   * @param policyVersion version of the published policy applied, null for the configured one
   */
  public record Blocked(
      Reason reason,
      Long limit,
      Long observed,
      Integer windowSeconds,
      String detail,
      boolean shadow,
      Long policyVersion)
      implements Verdict {}

  private final ReactiveMongoTemplate mongo;
  private final SendPolicies policies;
  private final Clock clock;

  SendGuard(ReactiveMongoTemplate mongo, SendPolicies policies, Clock clock) {
    this.mongo = mongo;
    this.policies = policies;
    this.clock = clock;
  }

  /** Checks one send to an E.164 number in the given region under the policy in force. */
  public Mono<Verdict> check(String phoneNumber, String countryCode) {
    SendPolicy policy = policies.current();
    String region = countryCode == null ? "" : countryCode.toUpperCase(Locale.ROOT);
    Instant now = clock.instant();
    String e164 = phoneNumber.startsWith("+") ? phoneNumber : "+" + phoneNumber;
    String digits = e164.substring(1);
    for (SendPolicy.BlockedDestination blocked : policy.blockedCountries()) {
      if (blocked.value().equals(region) && blocked.activeAt(now)) {
        Reason reason =
            blocked.reason() != null
                    && blocked.reason().toLowerCase(Locale.ROOT).contains("conversion")
                ? Reason.COUNTRY_CONVERSION_LOW
                : Reason.COUNTRY_NOT_ALLOWED;
        return Mono.just(
            blocked(policy, reason, "destination region " + region + blockedFor(blocked)));
      }
    }
    if (policy.allowedRegions() != null && !policy.allowedRegions().contains(region)) {
      return Mono.just(
          blocked(
              policy,
              Reason.COUNTRY_NOT_ALLOWED,
              "destination region " + (region.isEmpty() ? "unknown" : region) + " not allowed"));
    }
    for (SendPolicy.BlockedDestination blocked : policy.blockedPrefixes()) {
      if (e164.startsWith(blocked.value()) && blocked.activeAt(now)) {
        return Mono.just(
            blocked(
                policy, Reason.PREFIX_BLOCKED, "prefix " + blocked.value() + blockedFor(blocked)));
      }
    }
    String prefix = digits.length() > 4 ? digits.substring(0, digits.length() - 4) : digits;
    SendPolicy.Velocity day = new SendPolicy.Velocity(policy.dailyBudget(), Duration.ofDays(1));
    // In this order: the first limit passed names the block.
    List<Counter> counters =
        Stream.of(
                Counter.of(
                    Reason.NUMBER_VELOCITY, "number:" + sha256(digits), policy.perNumber(), now),
                Counter.of(Reason.PREFIX_VELOCITY, "prefix:+" + prefix, policy.perPrefix(), now),
                Counter.of(Reason.COUNTRY_VELOCITY, "country:" + region, policy.perCountry(), now),
                Counter.of(Reason.DAILY_BUDGET_EXCEEDED, "global", day, now))
            .filter(counter -> counter.limit().enabled())
            .toList();
    if (counters.isEmpty()) {
      return Mono.just(new Allowed());
    }
    // Every refused counter is settled (none is cancelled half-way), then the first block wins.
    return count(counters)
        .flatMapSequential(counter -> refuse(policy, counter))
        .collectList()
        .map(blocks -> blocks.isEmpty() ? new Allowed() : blocks.get(0));
  }

  /** One velocity counter: its document is {@code kind:key:windowStart}. */
  private record Counter(Reason reason, String id, SendPolicy.Velocity limit, Instant expiresAt) {
    static Counter of(Reason reason, String key, SendPolicy.Velocity limit, Instant now) {
      long windowSeconds = limit.window().toSeconds();
      long windowStart = now.getEpochSecond() / windowSeconds * windowSeconds;
      return new Counter(
          reason,
          key + ":" + windowStart,
          limit,
          Instant.ofEpochSecond(windowStart + windowSeconds));
    }

    /** Counts one send if the counter is under its limit: the conditional upsert. */
    UpdateOneModel<Document> underLimit() {
      return new UpdateOneModel<>(
          Filters.and(Filters.eq("_id", id), Filters.lt(ALLOWED, limit.maxCount())),
          Updates.combine(
              Updates.inc(ALLOWED, 1L),
              // For a TTL index on MongoDB (the embedded server ignores TTL): windows expire.
              Updates.setOnInsert(EXPIRES_AT, Date.from(expiresAt))),
          new UpdateOptions().upsert(true));
    }
  }

  /**
   * Counts the send on every counter in one round trip: each counter takes it if it is under its
   * limit, atomically. A counter at its limit already exists, so its upsert fails on the duplicate
   * {@code _id}; those counters come back, in order, for {@link #refuse}.
   */
  private Flux<Counter> count(List<Counter> counters) {
    List<UpdateOneModel<Document>> models = counters.stream().map(Counter::underLimit).toList();
    return mongo
        .getCollection(COLLECTION)
        .flatMap(
            collection ->
                Mono.from(collection.bulkWrite(models, new BulkWriteOptions().ordered(false))))
        .thenMany(Flux.<Counter>empty())
        .onErrorResume(
            MongoBulkWriteException.class,
            e -> {
              if (e.getWriteConcernError() != null
                  || e.getWriteErrors().stream()
                      .anyMatch(error -> error.getCategory() != ErrorCategory.DUPLICATE_KEY)) {
                return Flux.error(e);
              }
              return Flux.fromIterable(
                  e.getWriteErrors().stream()
                      .map(BulkWriteError::getIndex)
                      .sorted()
                      .map(counters::get)
                      .toList());
            });
  }

  /**
   * A counter whose upsert found it at its limit. Two sends racing to create a window's document
   * also end here, the later one with a duplicate key although the counter is under its limit: it
   * is counted now, without the upsert. Otherwise the send is refused and counted as refused, and
   * {@code observed} is every send checked in the window, this one included.
   */
  private Mono<Blocked> refuse(SendPolicy policy, Counter counter) {
    Query byId = Query.query(Criteria.where("_id").is(counter.id()));
    return mongo
        .findAndModify(
            Query.query(
                Criteria.where("_id").is(counter.id()).and(ALLOWED).lt(counter.limit().maxCount())),
            new Update().inc(ALLOWED, 1L),
            FindAndModifyOptions.options().returnNew(true),
            Document.class,
            COLLECTION)
        .map(counted -> Optional.<Blocked>empty())
        .switchIfEmpty(
            Mono.defer(
                () ->
                    mongo
                        .findAndModify(
                            byId,
                            new Update().inc(REFUSED, 1L),
                            FindAndModifyOptions.options().returnNew(true),
                            Document.class,
                            COLLECTION)
                        .map(doc -> Optional.of(blocked(policy, counter, doc)))))
        .flatMap(Mono::justOrEmpty);
  }

  private static Blocked blocked(SendPolicy policy, Counter counter, Document doc) {
    long observed = number(doc, ALLOWED) + number(doc, REFUSED);
    long windowSeconds = counter.limit().window().toSeconds();
    return new Blocked(
        counter.reason(),
        counter.limit().maxCount(),
        observed,
        (int) windowSeconds,
        counter.reason().name().toLowerCase(Locale.ROOT)
            + ": "
            + observed
            + " sends in "
            + windowSeconds
            + " s, limit "
            + counter.limit().maxCount(),
        policy.shadow(),
        policy.version());
  }

  private static long number(Document doc, String field) {
    Object value = doc.get(field);
    return value instanceof Number n ? n.longValue() : 0L;
  }

  private static String blockedFor(SendPolicy.BlockedDestination blocked) {
    return " blocked"
        + (blocked.until() == null ? " until lifted" : " until " + blocked.until())
        + (blocked.reason() == null || blocked.reason().isBlank() ? "" : ": " + blocked.reason());
  }

  private static Blocked blocked(SendPolicy policy, Reason reason, String detail) {
    return new Blocked(reason, null, null, null, detail, policy.shadow(), policy.version());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
