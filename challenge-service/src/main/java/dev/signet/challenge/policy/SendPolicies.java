package dev.signet.challenge.policy;

import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.phone.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The send policy in force on this instance (the highest version read from {@code
 * auth.policy.send-policy.v1}) and the request-time check before a code is issued or resent. Until
 * the first policy arrives nothing is refused here: rules-service publishes one on its first start,
 * and sms-dispatcher enforces the same policy before sending.
 */
@Component
public class SendPolicies {

  /** Retry-After for a block without an end: look again in an hour. */
  static final long OPEN_ENDED_RETRY_SECONDS = 3600;

  private static final Logger log = LoggerFactory.getLogger(SendPolicies.class);

  private final AtomicReference<SendPolicy> current = new AtomicReference<>();
  private final Clock clock;

  SendPolicies(Clock clock) {
    this.clock = clock;
  }

  /** The policy in force, if one has been received. */
  public Optional<SendPolicy> current() {
    return Optional.ofNullable(current.get());
  }

  /** Takes {@code policy} unless a version at least as high is already held. */
  void apply(SendPolicy policy) {
    SendPolicy previous =
        current.getAndUpdate(
            held -> held != null && held.version() >= policy.version() ? held : policy);
    if (previous == null || previous.version() < policy.version()) {
      log.info(
          "send policy applied version={} allowedCountries={} blockedPrefixes={}"
              + " blockedCountries={} shadowMode={}",
          policy.version(),
          policy.allowedCountries().size(),
          policy.blockedPrefixes().size(),
          policy.blockedCountries().size(),
          policy.shadowMode());
    }
  }

  /** The platform-wide policy was deleted (a tombstone): nothing is refused here any more. */
  void clear() {
    current.set(null);
    log.info("send policy removed; nothing refused at request time until a new one arrives");
  }

  /**
   * A refusal at request time: which guard ({@code reason}, a symbol of the send-refused event),
   * the refusal the API answers ({@code invalid_request} for a region outside the allowlist, {@code
   * too_many_requests} until the block lifts for a blocked prefix or region) and the policy version
   * that refused.
   */
  public record Refused(String reason, Refusal refusal, long policyVersion) {}

  /** The refusal of a code to {@code e164} now, if the policy in force refuses it. */
  public Optional<Refused> refusal(String e164, String country) {
    SendPolicy policy = current.get();
    if (policy == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<SendPolicy.Refusal> refusal = policy.check(e164, country, now);
    if (refusal.isEmpty()) {
      return Optional.empty();
    }
    if (policy.shadowMode()) {
      log.info(
          "send policy would refuse (shadow mode) phone={} refusal={} version={}",
          PhoneNumbers.mask(e164),
          describe(refusal.get()),
          policy.version());
      return Optional.empty();
    }
    log.info(
        "send policy refused phone={} refusal={} version={}",
        PhoneNumbers.mask(e164),
        describe(refusal.get()),
        policy.version());
    return Optional.of(
        new Refused(reason(refusal.get()), error(refusal.get(), now), policy.version()));
  }

  /** The guard that refused, as a symbol of the send-refused event's reason. */
  static String reason(SendPolicy.Refusal refusal) {
    if (refusal instanceof SendPolicy.CountryNotAllowed) {
      return "COUNTRY_NOT_ALLOWED";
    }
    SendPolicy.DestinationBlocked blocked = (SendPolicy.DestinationBlocked) refusal;
    if (blocked.kind().equals("prefix")) {
      return "PREFIX_BLOCKED";
    }
    return "conversion_low".equals(blocked.reason()) ? "COUNTRY_CONVERSION_LOW" : "COUNTRY_BLOCKED";
  }

  /** For logs: never the prefix next to the masked number (together they spell the number). */
  private static String describe(SendPolicy.Refusal refusal) {
    if (refusal instanceof SendPolicy.CountryNotAllowed notAllowed) {
      return "country_not_allowed:" + notAllowed.country();
    }
    SendPolicy.DestinationBlocked blocked = (SendPolicy.DestinationBlocked) refusal;
    return blocked.kind() + "_blocked:" + blocked.reason();
  }

  static Refusal error(SendPolicy.Refusal refusal, Instant now) {
    if (refusal instanceof SendPolicy.CountryNotAllowed notAllowed) {
      return Refusal.invalid(
          "SMS to this country (" + notAllowed.country() + ") is not allowed by the send policy.");
    }
    SendPolicy.DestinationBlocked blocked = (SendPolicy.DestinationBlocked) refusal;
    long retryAfter =
        blocked.until() == null
            ? OPEN_ENDED_RETRY_SECONDS
            : Math.max(1, Duration.between(now, blocked.until()).toSeconds());
    String what =
        blocked.kind().equals("country")
            ? "this country (" + blocked.value() + ")"
            : "this number range";
    return new Refusal.TooManyRequests(
        "SMS to " + what + " is temporarily blocked by the send policy; try again later.",
        retryAfter);
  }
}
