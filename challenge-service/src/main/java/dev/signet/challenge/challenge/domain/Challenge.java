package dev.signet.challenge.challenge.domain;

import dev.signet.challenge.phone.PhoneNumber;
import java.time.Instant;
import java.util.List;

/**
 * A one-time-code challenge: where its code goes, what it was asked for, the code's HMAC (never the
 * code), its state, its counters and its times. Immutable; {@link ChallengeRules} decides every
 * change from the clock and returns the next challenge or the refusal.
 *
 * @param sendSlots the per-phone send slots its sends took (see the store)
 */
public record Challenge(
    String id,
    Recipient recipient,
    Context context,
    byte[] codeHash,
    ChallengeState state,
    Counters counters,
    Timeline timeline,
    String claimedBy,
    List<String> sendSlots) {

  public Challenge {
    sendSlots = sendSlots == null ? List.of() : List.copyOf(sendSlots);
  }

  /** Where the code goes and how. */
  public record Recipient(PhoneNumber phone, Channel channel, String verificationMethod) {}

  /**
   * What the challenge was asked for: the action, the user (or null), the purpose ({@code SIGN_IN},
   * {@code ENROLMENT}, ...), the idempotency key, the authenticator it proves (or null), the locale
   * of the SMS and the end user's IP address as the customer's back end reported it.
   */
  public record Context(
      String action,
      String userId,
      String purpose,
      String idempotencyKey,
      String userAuthenticatorId,
      String locale,
      String ipAddress) {

    Context withOrigin(String newLocale, String newIpAddress) {
      return new Context(
          action,
          userId,
          purpose,
          idempotencyKey,
          userAuthenticatorId,
          newLocale != null ? newLocale : locale,
          newIpAddress != null ? newIpAddress : ipAddress);
    }
  }

  /** Codes sent (the current one is send number {@code sends}) and wrong codes so far. */
  public record Counters(int sends, int failedAttempts) {}

  /** When it was created, last sent, expires, and was verified and claimed (null until then). */
  public record Timeline(
      Instant createdAt,
      Instant lastSentAt,
      Instant expiresAt,
      Instant verifiedAt,
      Instant claimedAt) {}

  public String phoneNumber() {
    return recipient.phone() == null ? null : recipient.phone().e164();
  }

  public String countryCode() {
    return recipient.phone() == null ? null : recipient.phone().region();
  }

  public String verificationMethod() {
    return recipient.verificationMethod();
  }

  public String action() {
    return context.action();
  }

  public String userId() {
    return context.userId();
  }

  public String purpose() {
    return context.purpose();
  }

  public String idempotencyKey() {
    return context.idempotencyKey();
  }

  public String userAuthenticatorId() {
    return context.userAuthenticatorId();
  }

  public int sends() {
    return counters.sends();
  }

  public int failedAttempts() {
    return counters.failedAttempts();
  }

  public Instant expiresAt() {
    return timeline.expiresAt();
  }

  /** Past its expiry at {@code now}: an expired code reads as invalid, whatever it is. */
  public boolean expiredAt(Instant now) {
    return !timeline.expiresAt().isAfter(now);
  }

  /** Verified or claimed: its code was proven, so the full number may be shown. */
  public boolean proven() {
    return state == ChallengeState.VERIFIED || state == ChallengeState.CLAIMED;
  }

  /** This challenge in {@code next} state. */
  public Challenge with(ChallengeState next) {
    return new Challenge(
        id, recipient, context, codeHash, next, counters, timeline, claimedBy, sendSlots);
  }

  /** This challenge with {@code next} counters. */
  public Challenge with(Counters next) {
    return new Challenge(
        id, recipient, context, codeHash, state, next, timeline, claimedBy, sendSlots);
  }

  /** This challenge with {@code next} times and claimant. */
  public Challenge with(Timeline next, String claimant) {
    return new Challenge(
        id, recipient, context, codeHash, state, counters, next, claimant, sendSlots);
  }

  /** This challenge holding {@code slots}. */
  public Challenge withSendSlots(List<String> slots) {
    return new Challenge(
        id, recipient, context, codeHash, state, counters, timeline, claimedBy, slots);
  }
}
