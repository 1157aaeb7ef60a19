package dev.signet.sms.guard;

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
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Decides whether a message may go out: destination region on the allowlist, then per-number,
 * per-prefix and per-region send velocity and the daily global budget. Counters are MongoDB
 * documents per fixed window ({@code sms_velocity}, {@code _id = kind:key:windowStart}) incremented
 * atomically with findAndModify, so limits hold across instances. Each send that reaches a counter
 * counts, blocked or not: pumping shows as attempts. The per-number key is a SHA-256 of the number,
 * so the collection holds no phone numbers in clear; the prefix (all but the last four digits) is
 * not personal on its own.
 */
@Component
public class SendGuard {

  static final String COLLECTION = "sms_velocity";

  /** Which guard fired; names match the {@code SmsBlockReason} symbols. */
  public enum Reason {
    COUNTRY_NOT_ALLOWED,
    NUMBER_VELOCITY,
    PREFIX_VELOCITY,
    COUNTRY_VELOCITY,
    DAILY_BUDGET_EXCEEDED
  }

  /** The guard's answer. */
  public sealed interface Verdict {}

  /** Nothing fired. */
  public record Allowed() implements Verdict {}

  /**
   * A guard fired.
   *
   * @param limit the counter's limit, null for the allowlist
   * @param observed the count with this send, null for the allowlist
   * @param windowSeconds the counter's window, null for the allowlist
   * @param detail short explanation for operators; no phone number
   */
  public record Blocked(
      Reason reason, Long limit, Long observed, Integer windowSeconds, String detail)
      implements Verdict {}

  private final ReactiveMongoTemplate mongo;
  private final GuardProperties properties;
  private final Clock clock;

  SendGuard(ReactiveMongoTemplate mongo, GuardProperties properties, Clock clock) {
    this.mongo = mongo;
    this.properties = properties;
    this.clock = clock;
  }

  public boolean shadow() {
    return properties.shadow();
  }

  /** Checks one send to an E.164 number in the given region. */
  public Mono<Verdict> check(String phoneNumber, String countryCode) {
    String region = countryCode == null ? "" : countryCode.toUpperCase(java.util.Locale.ROOT);
    if (!properties.allowedCountries().isEmpty()
        && !properties.allowedCountries().contains(region)) {
      return Mono.just(
          new Blocked(
              Reason.COUNTRY_NOT_ALLOWED,
              null,
              null,
              null,
              "destination region " + (region.isEmpty() ? "unknown" : region) + " not allowed"));
    }
    Instant now = clock.instant();
    String digits = phoneNumber.startsWith("+") ? phoneNumber.substring(1) : phoneNumber;
    String prefix = digits.length() > 4 ? digits.substring(0, digits.length() - 4) : digits;
    GuardProperties.Limit day =
        new GuardProperties.Limit(properties.dailyBudget(), Duration.ofDays(1));
    return count(Reason.NUMBER_VELOCITY, "number:" + sha256(digits), properties.perNumber(), now)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    count(
                        Reason.PREFIX_VELOCITY, "prefix:+" + prefix, properties.perPrefix(), now)))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    count(
                        Reason.COUNTRY_VELOCITY,
                        "country:" + region,
                        properties.perCountry(),
                        now)))
        .switchIfEmpty(Mono.defer(() -> count(Reason.DAILY_BUDGET_EXCEEDED, "global", day, now)))
        .cast(Verdict.class)
        .defaultIfEmpty(new Allowed());
  }

  /** Counts this send; a {@link Blocked} when the count passes the limit, empty otherwise. */
  private Mono<Blocked> count(Reason reason, String key, GuardProperties.Limit limit, Instant now) {
    if (limit.maxCount() <= 0) {
      return Mono.empty();
    }
    long windowSeconds = limit.window().toSeconds();
    long windowStart = now.getEpochSecond() / windowSeconds * windowSeconds;
    String id = key + ":" + windowStart;
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(id)),
            new Update()
                .inc("count", 1L)
                // For a TTL index on MongoDB (the embedded server ignores TTL): windows expire.
                .setOnInsert(
                    "expiresAt", Date.from(Instant.ofEpochSecond(windowStart + windowSeconds))),
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        .flatMap(
            doc -> {
              long observed = ((Number) doc.get("count")).longValue();
              if (observed <= limit.maxCount()) {
                return Mono.empty();
              }
              return Mono.just(
                  new Blocked(
                      reason,
                      limit.maxCount(),
                      observed,
                      (int) windowSeconds,
                      reason.name().toLowerCase(java.util.Locale.ROOT)
                          + ": "
                          + observed
                          + " sends in "
                          + windowSeconds
                          + " s, limit "
                          + limit.maxCount()));
            });
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
