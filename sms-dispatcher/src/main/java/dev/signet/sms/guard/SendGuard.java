package dev.signet.sms.guard;

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
 * window ({@code sms_velocity}, {@code _id = kind:key:windowStart}) incremented atomically with
 * findAndModify, so limits hold across instances; blocked sends count too: pumping shows as
 * attempts. The per-number key is a SHA-256 of the number, so the collection holds no phone numbers
 * in clear; the prefix (all but the last four digits) is not personal on its own. Every counter
 * counts every checked send, also when another one blocks it.
 */
@Component
public class SendGuard {

  static final String COLLECTION = "sms_velocity";

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
    // The four counters are independent documents: incremented at once (one round trip of
    // latency, not four), and the first limit passed in this order names the block.
    return Flux.mergeSequential(
            count(
                policy,
                Reason.NUMBER_VELOCITY,
                "number:" + sha256(digits),
                policy.perNumber(),
                now),
            count(policy, Reason.PREFIX_VELOCITY, "prefix:+" + prefix, policy.perPrefix(), now),
            count(policy, Reason.COUNTRY_VELOCITY, "country:" + region, policy.perCountry(), now),
            count(policy, Reason.DAILY_BUDGET_EXCEEDED, "global", day, now))
        // All four complete (none is cancelled half-way), then the first block wins.
        .collectList()
        .map(blocks -> blocks.isEmpty() ? new Allowed() : blocks.get(0));
  }

  private static String blockedFor(SendPolicy.BlockedDestination blocked) {
    return " blocked"
        + (blocked.until() == null ? " until lifted" : " until " + blocked.until())
        + (blocked.reason() == null || blocked.reason().isBlank() ? "" : ": " + blocked.reason());
  }

  private static Blocked blocked(SendPolicy policy, Reason reason, String detail) {
    return new Blocked(reason, null, null, null, detail, policy.shadow(), policy.version());
  }

  /** Counts this send; a {@link Blocked} when the count passes the limit, empty otherwise. */
  private Mono<Blocked> count(
      SendPolicy policy, Reason reason, String key, SendPolicy.Velocity limit, Instant now) {
    if (!limit.enabled()) {
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
                          + limit.maxCount(),
                      policy.shadow(),
                      policy.version()));
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
