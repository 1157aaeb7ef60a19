package dev.signet.challenge.challenge.domain;

import dev.signet.challenge.challenge.domain.VerificationResult.FailureReason;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one-time-code rules, decided from the injected clock and returned as values: a code lives for
 * {@code codeLifetime}; a resend waits {@code resendCooldown} and stops at {@code maxSends}; a
 * challenge takes {@code maxAttempts} wrong codes; a code verifies once (single use) and a verified
 * challenge is claimed once. The store applies each decision with a conditional write, so the
 * decision holds under concurrency; this class only decides.
 */
public final class ChallengeRules {

  /** The numbers the rules are made of. */
  public record Limits(
      int maxAttempts, int maxSends, Duration resendCooldown, Duration codeLifetime) {}

  private final Clock clock;
  private final Limits limits;

  public ChallengeRules(Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  public Instant now() {
    return clock.instant();
  }

  public int maxAttempts() {
    return limits.maxAttempts();
  }

  /** A new pending challenge whose first code, hashed as {@code codeHash}, is sent now. */
  public Challenge issue(
      String id, Challenge.Recipient recipient, Challenge.Context context, byte[] codeHash) {
    Instant now = clock.instant();
    return new Challenge(
        id,
        recipient,
        context,
        codeHash,
        ChallengeState.PENDING,
        new Challenge.Counters(1, 0),
        new Challenge.Timeline(now, now, now.plus(limits.codeLifetime()), null, null),
        null,
        List.of());
  }

  /**
   * An idempotency key names one challenge: reusing it for another number or action is a client
   * bug, refused rather than answered with someone else's challenge.
   */
  public Optional<Refusal> sameRequest(Challenge existing, PhoneNumber phone, String action) {
    boolean samePhone = phone == null || phone.e164().equals(existing.phoneNumber());
    if (!samePhone || !action.equals(existing.action())) {
      return Optional.of(
          Refusal.invalid(
              "idempotencyKey was already used for a challenge with another phone number or"
                  + " action."));
    }
    return Optional.empty();
  }

  /** What a request for another code of {@code existing} gets. */
  public sealed interface ResendDecision {}

  /** Send code number {@code attempt} now; it expires at {@code expiresAt}. */
  public record Resend(int attempt, Instant at, Instant expiresAt) implements ResendDecision {}

  /** An idempotent retry inside the cooldown: the challenge as it is, nothing sent. */
  public record Unchanged(Challenge current) implements ResendDecision {}

  /** No code is sent, for the reason given. */
  public record Declined(Refusal refusal) implements ResendDecision {}

  /**
   * Decides a resend. An idempotent retry inside the cooldown returns the challenge as it is and
   * sends nothing; an explicit resend inside the cooldown is refused, as is one of a challenge that
   * is no longer pending, expired, out of attempts or out of sends.
   */
  public ResendDecision resend(Challenge existing, boolean idempotentRetry) {
    Instant now = clock.instant();
    if (existing.state() != ChallengeState.PENDING || existing.expiredAt(now)) {
      return new Declined(
          Refusal.invalid("The challenge is no longer pending; start a new challenge."));
    }
    if (existing.failedAttempts() >= limits.maxAttempts()) {
      return new Declined(
          Refusal.invalid("The challenge failed too many times; start a new challenge."));
    }
    Instant cooldownEnds = existing.timeline().lastSentAt().plus(limits.resendCooldown());
    if (cooldownEnds.isAfter(now)) {
      return idempotentRetry
          ? new Unchanged(existing)
          : new Declined(cooldown(Duration.between(now, cooldownEnds).toSeconds()));
    }
    if (existing.sends() >= limits.maxSends()) {
      return new Declined(
          new Refusal.TooManyRequests(
              "The maximum number of codes for this challenge was sent.",
              Math.max(1, Duration.between(now, existing.expiresAt()).toSeconds())));
    }
    return new Resend(existing.sends() + 1, now, now.plus(limits.codeLifetime()));
  }

  /** A resend lost its race to a concurrent one: the cooldown the winner started. */
  public Refusal lostResendRace() {
    return cooldown(limits.resendCooldown().toSeconds());
  }

  private static Refusal cooldown(long seconds) {
    return new Refusal.TooManyRequests(
        "A code was sent moments ago; wait before asking for another.", Math.max(1, seconds));
  }

  /**
   * The challenge after {@code resend}: the new code's hash, the send counter and times moved on,
   * the failure count kept, the locale and IP of the new request when it gives them.
   */
  public Challenge resent(
      Challenge existing, Resend resend, byte[] codeHash, String locale, String ipAddress) {
    Challenge.Timeline t = existing.timeline();
    return new Challenge(
        existing.id(),
        existing.recipient(),
        existing.context().withOrigin(locale, ipAddress),
        codeHash,
        ChallengeState.PENDING,
        new Challenge.Counters(resend.attempt(), existing.failedAttempts()),
        new Challenge.Timeline(t.createdAt(), resend.at(), resend.expiresAt(), null, null),
        null,
        existing.sendSlots());
  }

  /** Whether a code may be compared against {@code challenge} now. */
  public sealed interface Admission {}

  /** A comparison may be paid for and made, at {@code at}. */
  public record Open(Instant at) implements Admission {}

  /** No comparison: the challenge takes no more codes. */
  public record Closed(FailureReason reason) implements Admission {}

  /**
   * Whether the challenge takes a code now: not once its wrong codes reached the cap, not once it
   * was verified or claimed (single use), not after its expiry. Nothing is compared or charged for
   * a closed challenge.
   */
  public Admission admit(Challenge challenge) {
    Instant now = clock.instant();
    if (challenge.failedAttempts() >= limits.maxAttempts()) {
      return new Closed(FailureReason.MAX_ATTEMPTS_EXCEEDED);
    }
    if (challenge.state() != ChallengeState.PENDING || challenge.expiredAt(now)) {
      return new Closed(FailureReason.CODE_INVALID_OR_EXPIRED);
    }
    return new Open(now);
  }

  /** A wrong code, counted as failure number {@code failedAttempts}. */
  public record Failure(FailureReason reason, int failedAttempts, boolean terminal) {}

  /** The answer to the wrong code that brought the count to {@code failedAttempts}. */
  public Failure failure(int failedAttempts) {
    boolean terminal = failedAttempts >= limits.maxAttempts();
    return new Failure(
        terminal ? FailureReason.MAX_ATTEMPTS_EXCEEDED : FailureReason.CODE_INVALID_OR_EXPIRED,
        failedAttempts,
        terminal);
  }

  /** Whether {@code challenge} may be claimed by a user now. */
  public sealed interface ClaimDecision {}

  /** It may: {@code verified} says whether its code was proven (or the check was skipped). */
  public record Claimable(boolean verified, Instant at) implements ClaimDecision {}

  /** It may not, for the reason given. */
  public record Unclaimable(Refusal refusal) implements ClaimDecision {}

  /**
   * One claim per challenge, only of a verified one (or a pending one under its attempts cap with
   * {@code skipVerificationCheck}), before its expiry. A challenge started for a user binds to that
   * user only; one without a user binds to the first claim (passwordless sign-in).
   */
  public ClaimDecision claim(Challenge challenge, String userId, boolean skipVerificationCheck) {
    Instant now = clock.instant();
    boolean verified = challenge.state() == ChallengeState.VERIFIED;
    boolean claimable =
        verified
            || (skipVerificationCheck
                && challenge.state() == ChallengeState.PENDING
                && challenge.failedAttempts() < limits.maxAttempts());
    if (!claimable || challenge.expiredAt(now)) {
      return new Unclaimable(notClaimable());
    }
    if (challenge.userId() != null && !challenge.userId().equals(userId)) {
      return new Unclaimable(
          Refusal.invalid("userId does not match the user the challenge was started for."));
    }
    return new Claimable(verified, now);
  }

  public static Refusal notClaimable() {
    return Refusal.invalid(
        "The challenge cannot be claimed: it is not verified, expired, or already claimed.");
  }

  /** Whether a pending challenge ran out unverified and is due its expired event. */
  public boolean dueForExpiry(Challenge challenge) {
    return challenge.state() == ChallengeState.PENDING && challenge.expiredAt(clock.instant());
  }
}
