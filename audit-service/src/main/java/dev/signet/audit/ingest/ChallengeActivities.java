package dev.signet.audit.ingest;

import static dev.signet.audit.ingest.ActivityBuilder.b;

import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.events.challenge.ChallengeClaimed;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;

/**
 * The activities of the challenge events: requested, verified, failed, claimed, expired, refused.
 */
final class ChallengeActivities {

  private final PhoneHasher phones;

  ChallengeActivities(PhoneHasher phones) {
    this.phones = phones;
  }

  /**
   * The activity of {@code event}, to be built, or null when it is not one of this family's events.
   */
  ActivityBuilder normalise(String topic, Object event, String fallback) {
    if (event instanceof ChallengeRequested e) {
      return requested(topic, e, fallback);
    }
    if (event instanceof ChallengeVerified e) {
      return verified(topic, e, fallback);
    }
    if (event instanceof ChallengeVerificationFailed e) {
      return verificationFailed(topic, e, fallback);
    }
    if (event instanceof ChallengeClaimed e) {
      return claimed(topic, e, fallback);
    }
    if (event instanceof ChallengeExpired e) {
      return expired(topic, e, fallback);
    }
    if (event instanceof ChallengeSendRefused e) {
      return sendRefused(topic, e, fallback);
    }
    return null;
  }

  private ActivityBuilder requested(String topic, ChallengeRequested e, String fallback) {
    String hash = PhoneHasher.normalise(e.getPhoneNumber()).map(phones::hash).orElse(null);
    boolean resend = e.getAttempt() > 1;
    return b(topic, e.getEventId(), fallback, ActivityTypes.CHALLENGE_REQUESTED)
        .category(ActivityCategory.CHALLENGE)
        .outcome(ActivityOutcome.PENDING)
        .summary(
            resend
                ? "A new code was requested for the challenge (send " + e.getAttempt() + ")."
                : "A one-time code challenge was requested.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), e.getIdempotencyKey())
        .phone(e.getPhoneNumberMasked(), hash, e.getCountryCode())
        .authenticator(e.getUserAuthenticatorId())
        .ip(e.getIpAddress())
        .test(e.getTestNumber())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("purpose", e.getPurpose())
        .attr("locale", e.getLocale())
        .attr("expiresAt", e.getExpiresAt());
  }

  private ActivityBuilder verified(String topic, ChallengeVerified e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.CHALLENGE_VERIFIED)
        .category(ActivityCategory.CHALLENGE)
        .outcome(ActivityOutcome.SUCCESS)
        .summary("The code was verified.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), e.getIdempotencyKey())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .authenticator(e.getUserAuthenticatorId())
        .attr("verificationMethod", e.getVerificationMethod())
        .attr("purpose", e.getPurpose())
        .attr("sendCount", e.getSendCount())
        .attr("failedAttempts", e.getFailedAttempts())
        .attr("lastSentAt", e.getLastSentAt());
  }

  private ActivityBuilder verificationFailed(
      String topic, ChallengeVerificationFailed e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.CHALLENGE_VERIFICATION_FAILED)
        .category(ActivityCategory.CHALLENGE)
        .outcome(ActivityOutcome.FAILURE)
        .severity(e.getTerminal() ? ActivitySeverity.WARNING : ActivitySeverity.NOTICE)
        .summary(
            "A verification attempt failed ("
                + e.getReason()
                + ")"
                + (e.getTerminal() ? "; the challenge can no longer be verified." : "."))
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), e.getIdempotencyKey())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .authenticator(e.getUserAuthenticatorId())
        .attr("reason", e.getReason())
        .attr("failedAttempts", e.getFailedAttempts())
        .attr("maxAttempts", e.getMaxAttempts())
        .attr("consecutiveFailures", e.getConsecutiveFailures())
        .attr("terminal", e.getTerminal())
        .attr("purpose", e.getPurpose());
  }

  private ActivityBuilder claimed(String topic, ChallengeClaimed e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.CHALLENGE_CLAIMED)
        .category(ActivityCategory.CHALLENGE)
        .outcome(ActivityOutcome.SUCCESS)
        .summary(
            e.getSkipVerificationCheck()
                ? "The challenge was claimed for the user without a verification check."
                : "The verified challenge was claimed for the user.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), e.getIdempotencyKey())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("verified", e.getVerified())
        .attr("skipVerificationCheck", e.getSkipVerificationCheck())
        .attr("verificationMethod", e.getVerificationMethod());
  }

  private ActivityBuilder expired(String topic, ChallengeExpired e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.CHALLENGE_EXPIRED)
        .category(ActivityCategory.CHALLENGE)
        .outcome(e.getVerified() ? ActivityOutcome.INFO : ActivityOutcome.FAILURE)
        .summary(
            e.getVerified()
                ? "The verified challenge expired."
                : "The challenge expired without being verified.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), e.getIdempotencyKey())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("verified", e.getVerified())
        .attr("sendCount", e.getSendCount())
        .attr("failedAttempts", e.getFailedAttempts())
        .attr("purpose", e.getPurpose())
        .attr("expiresAt", e.getExpiresAt());
  }

  /**
   * A send refused at request time: no challenge may exist (a refused new challenge), so it shows
   * in the user's timeline and the feed, and in the challenge's own timeline for a refused resend.
   */
  private ActivityBuilder sendRefused(String topic, ChallengeSendRefused e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.CHALLENGE_SEND_REFUSED)
        .category(ActivityCategory.SMS)
        .outcome(ActivityOutcome.BLOCKED)
        .severity(ActivitySeverity.WARNING)
        .summary(
            (e.getChallengeId() == null
                    ? "A code was refused before sending: "
                    : "A resend was refused before sending: ")
                + e.getReason()
                + ".")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("reason", e.getReason())
        .attr("purpose", e.getPurpose())
        .attr("error", e.getError())
        .attr("retryAfterSeconds", e.getRetryAfterSeconds())
        .attr("limit", e.getLimit())
        .attr("windowSeconds", e.getWindowSeconds())
        .attr("policyVersion", e.getPolicyVersion())
        .attr("ipAddressKey", e.getIpAddressKey());
  }
}
