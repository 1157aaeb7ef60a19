package dev.signet.challenge.policy;

import dev.signet.challenge.limits.RateLimiter;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

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
   * the error the API answers and the policy version that refused.
   */
  public record Refused(String reason, RuntimeException error, long policyVersion) {}

  /**
   * Completes empty when a code may be sent to {@code e164}, or fails with the documented error:
   * {@code invalid_request} (400) for a region outside the allowlist, {@code too_many_requests}
   * (429, with Retry-After until the block lifts) for a blocked prefix or region.
   */
  public Mono<Void> admit(String e164, String country) {
    return Mono.justOrEmpty(refusal(e164, country)).flatMap(r -> Mono.error(r.error()));
  }

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

  static RuntimeException error(SendPolicy.Refusal refusal, Instant now) {
    if (refusal instanceof SendPolicy.CountryNotAllowed notAllowed) {
      return ApiException.invalid(
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
    return new RateLimiter.TooManyRequestsException(
        "SMS to " + what + " is temporarily blocked by the send policy; try again later.",
        retryAfter);
  }
}
