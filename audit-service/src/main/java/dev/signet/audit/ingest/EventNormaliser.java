package dev.signet.audit.ingest;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityIds;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.action.StateChangeCause;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.authenticator.AuthenticatorRemoved;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.challenge.ChallengeClaimed;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.session.SessionCreated;
import dev.signet.events.session.SessionRefreshed;
import dev.signet.events.session.SessionReuseDetected;
import dev.signet.events.session.SessionRevoked;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.events.user.UserDeleted;
import dev.signet.events.user.UserUpdated;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Maps every Signet event to one {@link Activity}: the only place that reads Avro types. What is
 * dropped on purpose: the sealed code and its key id, the clear phone number (kept only as a keyed
 * hash), reply topics, custom data and risk signal values (they may hold personal data).
 */
final class EventNormaliser {

  private final PhoneHasher phones;

  EventNormaliser(PhoneHasher phones) {
    this.phones = phones;
  }

  /**
   * The activity of one decoded event. {@code fallbackEventId} stands in for an empty event id (the
   * topic, partition and offset), so that even such an event gets a stable activity id.
   */
  Activity normalise(String topic, Object event, String fallbackEventId) {
    if (event instanceof ChallengeRequested e) {
      return requested(topic, e, fallbackEventId);
    }
    if (event instanceof ChallengeVerified e) {
      return verified(topic, e, fallbackEventId);
    }
    if (event instanceof ChallengeVerificationFailed e) {
      return verificationFailed(topic, e, fallbackEventId);
    }
    if (event instanceof ChallengeClaimed e) {
      return claimed(topic, e, fallbackEventId);
    }
    if (event instanceof ChallengeExpired e) {
      return expired(topic, e, fallbackEventId);
    }
    if (event instanceof ChallengeSendRefused e) {
      return sendRefused(topic, e, fallbackEventId);
    }
    if (event instanceof ActionTracked e) {
      return tracked(topic, e, fallbackEventId);
    }
    if (event instanceof ActionDecided e) {
      return decided(topic, e, fallbackEventId);
    }
    if (event instanceof ActionStateChanged e) {
      return stateChanged(topic, e, fallbackEventId);
    }
    if (event instanceof AuthenticatorEnrolled e) {
      return enrolled(topic, e, fallbackEventId);
    }
    if (event instanceof AuthenticatorUpdated e) {
      return authenticatorUpdated(topic, e, fallbackEventId);
    }
    if (event instanceof AuthenticatorRemoved e) {
      return removed(topic, e, fallbackEventId);
    }
    if (event instanceof UserUpdated e) {
      return userUpdated(topic, e, fallbackEventId);
    }
    if (event instanceof UserDeleted e) {
      return userDeleted(topic, e, fallbackEventId);
    }
    if (event instanceof SessionCreated e) {
      return sessionCreated(topic, e, fallbackEventId);
    }
    if (event instanceof SessionRefreshed e) {
      return sessionRefreshed(topic, e, fallbackEventId);
    }
    if (event instanceof SessionRevoked e) {
      return sessionRevoked(topic, e, fallbackEventId);
    }
    if (event instanceof SessionReuseDetected e) {
      return sessionReuseDetected(topic, e, fallbackEventId);
    }
    if (event instanceof SmsDispatched e) {
      return dispatched(topic, e, fallbackEventId);
    }
    if (event instanceof SmsDispatchFailed e) {
      return dispatchFailed(topic, e, fallbackEventId);
    }
    if (event instanceof SmsDeliveryReported e) {
      return deliveryReported(topic, e, fallbackEventId);
    }
    if (event instanceof SmsBlocked e) {
      return blocked(topic, e, fallbackEventId);
    }
    if (event instanceof SendPolicyUpdated e) {
      return policy(topic, e, fallbackEventId);
    }
    throw new IllegalArgumentException(
        "no activity mapping for " + event.getClass().getName() + " on " + topic);
  }

  private Activity requested(String topic, ChallengeRequested e, String fallback) {
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
        .attr("expiresAt", e.getExpiresAt())
        .build();
  }

  private Activity verified(String topic, ChallengeVerified e, String fallback) {
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
        .attr("lastSentAt", e.getLastSentAt())
        .build();
  }

  private Activity verificationFailed(
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
        .attr("purpose", e.getPurpose())
        .build();
  }

  private Activity claimed(String topic, ChallengeClaimed e, String fallback) {
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
        .attr("verificationMethod", e.getVerificationMethod())
        .build();
  }

  private Activity expired(String topic, ChallengeExpired e, String fallback) {
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
        .attr("expiresAt", e.getExpiresAt())
        .build();
  }

  private Activity tracked(String topic, ActionTracked e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.ACTION_TRACKED)
        .category(ActivityCategory.ACTION)
        .outcome(ActivityOutcome.PENDING)
        .summary("The action was tracked.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .action(e.getActionCode(), e.getIdempotencyKey())
        .ip(e.getIpAddress())
        .phone(null, null, e.getPhoneCountryCode())
        .attr("userAgent", e.getUserAgent())
        .attr("deviceId", e.getDeviceId())
        .attr("locale", e.getLocale())
        .attr("isEnrolled", e.getIsEnrolled())
        .attr("enrolledVerificationMethods", join(e.getEnrolledVerificationMethods()))
        .build();
  }

  private Activity decided(String topic, ActionDecided e, String fallback) {
    ActivityOutcome outcome =
        switch (e.getDecision()) {
          case ALLOW -> ActivityOutcome.SUCCESS;
          case BLOCK -> ActivityOutcome.BLOCKED;
          case CHALLENGE, REVIEW -> ActivityOutcome.PENDING;
          default -> ActivityOutcome.INFO;
        };
    return b(topic, e.getEventId(), fallback, ActivityTypes.ACTION_DECIDED)
        .category(ActivityCategory.ACTION)
        .outcome(outcome)
        .severity(
            e.getDecision() == dev.signet.events.action.ActionDecision.BLOCK
                ? ActivitySeverity.WARNING
                : ActivitySeverity.INFO)
        .summary(
            "The rules decided "
                + e.getDecision()
                + (e.getDefaultOutcome() ? " (default outcome)." : " (a rule matched)."))
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .action(e.getActionCode(), e.getIdempotencyKey())
        .attr("decision", e.getDecision())
        .attr("ruleIds", join(e.getRuleIds()))
        .attr(
            "ruleNames",
            join(e.getRules().stream().map(r -> r.getName()).collect(Collectors.toList())))
        .attr("defaultOutcome", e.getDefaultOutcome())
        .attr("evaluationMillis", e.getEvaluationMillis())
        .build();
  }

  private Activity stateChanged(String topic, ActionStateChanged e, String fallback) {
    String state = e.getState().name();
    ActivityOutcome outcome =
        switch (state) {
          case "ALLOW", "CHALLENGE_SUCCEEDED", "REVIEW_SUCCEEDED" -> ActivityOutcome.SUCCESS;
          case "BLOCK" -> ActivityOutcome.BLOCKED;
          case "CHALLENGE_FAILED", "REVIEW_FAILED" -> ActivityOutcome.FAILURE;
          case "CHALLENGE_REQUIRED", "REVIEW_REQUIRED" -> ActivityOutcome.PENDING;
          default -> ActivityOutcome.INFO;
        };
    return b(topic, e.getEventId(), fallback, ActivityTypes.ACTION_STATE_CHANGED)
        .category(ActivityCategory.ACTION)
        .outcome(outcome)
        .severity(
            outcome == ActivityOutcome.BLOCKED || state.equals("REVIEW_REQUIRED")
                ? ActivitySeverity.WARNING
                : ActivitySeverity.INFO)
        .summary(stateChangeSummary(e, state))
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .action(e.getActionCode(), e.getIdempotencyKey())
        .challengeId(e.getChallengeId())
        .ip(e.getIpAddress())
        .attr("state", state)
        .attr("previousState", e.getPreviousState())
        .attr("cause", e.getCause())
        .attr("ruleIds", join(e.getRuleIds()))
        .attr("verificationMethod", e.getVerificationMethod())
        .attr("reviewedBy", e.getReviewedBy())
        .attr("credentialKind", e.getCredentialKind())
        .attr("via", e.getVia())
        .attr("deviceId", e.getDeviceId())
        .build();
  }

  /**
   * A state set by hand through the server API says so, with the kind of credential that set it,
   * because it is outside the lifecycle the rules and challenges follow.
   */
  static String stateChangeSummary(ActionStateChanged e, String state) {
    String was = e.getPreviousState() == null ? "" : " (was " + e.getPreviousState() + ")";
    if (e.getCause() == StateChangeCause.MANUAL) {
      return "The action's state was set MANUALLY to "
          + state
          + was
          + " through the server API with the "
          + (e.getCredentialKind() == null ? "UNKNOWN" : e.getCredentialKind())
          + " credential.";
    }
    return "The action's state became "
        + state
        + was
        + " by "
        + e.getCause()
        + (e.getVia() == null
            ? ""
            : e.getVia() == dev.signet.events.action.CompletedVia.PREBUILT_UI
                ? " through the pre-built UI"
                : " through the client API")
        + ".";
  }

  private Activity enrolled(String topic, AuthenticatorEnrolled e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.AUTHENTICATOR_ENROLLED)
        .category(ActivityCategory.AUTHENTICATOR)
        .outcome(ActivityOutcome.SUCCESS)
        .severity(ActivitySeverity.NOTICE)
        .summary("An " + e.getVerificationMethod() + " authenticator was enrolled.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challengeId(e.getChallengeId())
        .authenticator(e.getUserAuthenticatorId())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("verificationMethod", e.getVerificationMethod())
        .attr("isDefault", e.getIsDefault())
        .attr("source", e.getSource())
        .attr("verifiedAt", e.getVerifiedAt())
        .build();
  }

  private Activity authenticatorUpdated(String topic, AuthenticatorUpdated e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.AUTHENTICATOR_UPDATED)
        .category(ActivityCategory.AUTHENTICATOR)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary("An authenticator was updated (" + join(e.getChanges()) + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challengeId(e.getChallengeId())
        .authenticator(e.getUserAuthenticatorId())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("verificationMethod", e.getVerificationMethod())
        .attr("changes", join(e.getChanges()))
        .attr("previousPhoneNumberMasked", e.getPreviousPhoneNumberMasked())
        .attr("previousCountryCode", e.getPreviousCountryCode())
        .attr("isDefault", e.getIsDefault())
        .attr("source", e.getSource())
        .build();
  }

  private Activity removed(String topic, AuthenticatorRemoved e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.AUTHENTICATOR_REMOVED)
        .category(ActivityCategory.AUTHENTICATOR)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary("An " + e.getVerificationMethod() + " authenticator was removed.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .authenticator(e.getUserAuthenticatorId())
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("verificationMethod", e.getVerificationMethod())
        .attr("source", e.getSource())
        .attr("remainingAuthenticators", e.getRemainingAuthenticators())
        .build();
  }

  private Activity userUpdated(String topic, UserUpdated e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.USER_UPDATED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .summary(e.getCreated() ? "The user was created." : "The user was updated.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .phone(e.getPhoneNumberMasked(), null, e.getPhoneCountryCode())
        .attr("created", e.getCreated())
        .attr("changedFields", join(e.getChangedFields()))
        .attr("emailMasked", e.getEmailMasked())
        .attr("isEnrolled", e.getIsEnrolled())
        .build();
  }

  private Activity userDeleted(String topic, UserDeleted e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.USER_DELETED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary("The user was deleted.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .attr("removedAuthenticatorIds", join(e.getRemovedAuthenticatorIds()))
        .build();
  }

  private Activity sessionCreated(String topic, SessionCreated e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SESSION_CREATED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.SUCCESS)
        .summary("A session was created for app client " + e.getClientId() + ".")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .action(e.getActionCode(), e.getIdempotencyKey())
        .attr("sessionId", e.getSessionId())
        .attr("clientId", e.getClientId())
        .attr("verificationMethod", e.getVerificationMethod())
        .attr("sourceTokenId", e.getSourceTokenId())
        .attr("accessTokenExpiresAt", e.getAccessTokenExpiresAt())
        .attr("sessionExpiresAt", e.getSessionExpiresAt())
        .build();
  }

  private Activity sessionRefreshed(String topic, SessionRefreshed e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SESSION_REFRESHED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .summary("A session was refreshed (refresh " + e.getGeneration() + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .attr("sessionId", e.getSessionId())
        .attr("clientId", e.getClientId())
        .attr("generation", e.getGeneration())
        .attr("accessTokenExpiresAt", e.getAccessTokenExpiresAt())
        .build();
  }

  private Activity sessionRevoked(String topic, SessionRevoked e, String fallback) {
    String why =
        switch (e.getReason()) {
          case REVOKED -> "by the app";
          case USER_SESSIONS_REVOKED -> "with all of the user's sessions";
          case REFRESH_TOKEN_REUSED -> "because a spent refresh token was presented again";
          case USER_DELETED -> "because the user was deleted";
          default -> "";
        };
    return b(topic, e.getEventId(), fallback, ActivityTypes.SESSION_REVOKED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary(why.isEmpty() ? "A session was revoked." : "A session was revoked " + why + ".")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .attr("sessionId", e.getSessionId())
        .attr("clientId", e.getClientId())
        .attr("reason", e.getReason())
        .build();
  }

  private Activity sessionReuseDetected(String topic, SessionReuseDetected e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SESSION_REUSE_DETECTED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.BLOCKED)
        .severity(ActivitySeverity.CRITICAL)
        .summary(
            "A spent refresh token was presented again: the session was revoked (possible token"
                + " theft).")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .attr("sessionId", e.getSessionId())
        .attr("clientId", e.getClientId())
        .attr("reusedGeneration", e.getReusedGeneration())
        .attr("currentGeneration", e.getCurrentGeneration())
        .attr("alreadyRevoked", e.getAlreadyRevoked())
        .build();
  }

  private Activity dispatched(String topic, SmsDispatched e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DISPATCHED)
        .category(ActivityCategory.SMS)
        .outcome(ActivityOutcome.SUCCESS)
        .summary(
            "The SMS was handed to "
                + e.getProvider()
                + " ("
                + e.getSegments()
                + " segment"
                + (e.getSegments() == 1 ? "" : "s")
                + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .test(e.getTestNumber())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("provider", e.getProvider())
        .attr("providerMessageId", e.getProviderMessageId())
        .attr("segments", e.getSegments())
        .attr("encoding", e.getEncoding())
        .attr("price", e.getPrice())
        .attr("currency", e.getCurrency())
        .attr("networkCode", e.getNetworkCode())
        .attr("locale", e.getLocale())
        .attr("providerAttempts", e.getProviderAttempts())
        .attr("providerLatencyMillis", e.getProviderLatencyMillis())
        .attr("requestedToDispatchedMillis", e.getRequestedToDispatchedMillis())
        .build();
  }

  private Activity dispatchFailed(String topic, SmsDispatchFailed e, String fallback) {
    // A forged or altered requested event: refused, nothing sent; a security event, not a
    // delivery problem, and its challenge, user and number are only what the forger claimed.
    boolean tampered = e.getReason() == SmsFailureReason.TAMPERED;
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DISPATCH_FAILED)
        .category(ActivityCategory.SMS)
        .outcome(tampered ? ActivityOutcome.BLOCKED : ActivityOutcome.FAILURE)
        .severity(tampered ? ActivitySeverity.CRITICAL : ActivitySeverity.WARNING)
        .summary(
            tampered
                ? "A tampered code request was refused: its sealed code does not open for the"
                    + " number, attempt, channel or expiry it names. Nothing was sent."
                : "The SMS could not be sent (" + e.getReason() + ").")
        .attr("tampered", tampered ? "true" : null)
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("reason", e.getReason())
        .attr("retryable", e.getRetryable())
        .attr("providerAttempts", e.getProviderAttempts())
        .attr("providerStatus", e.getProviderStatus())
        .attr("provider", e.getProvider())
        .build();
  }

  private Activity deliveryReported(String topic, SmsDeliveryReported e, String fallback) {
    DeliveryStatus status = e.getStatus();
    ActivityOutcome outcome =
        switch (status) {
          case DELIVERED -> ActivityOutcome.SUCCESS;
          case FAILED, EXPIRED, REJECTED -> ActivityOutcome.FAILURE;
          case ACCEPTED, BUFFERED -> ActivityOutcome.PENDING;
          default -> ActivityOutcome.INFO;
        };
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DELIVERY_REPORTED)
        .category(ActivityCategory.SMS)
        .outcome(outcome)
        .severity(
            outcome == ActivityOutcome.FAILURE ? ActivitySeverity.WARNING : ActivitySeverity.INFO)
        .summary(
            "The network reported "
                + status
                + (e.getSendToReceiptMillis() == null
                    ? "."
                    : " " + e.getSendToReceiptMillis() + " ms after sending."))
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), null, null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("status", status)
        .attr("finalStatus", e.getFinalStatus())
        .attr("errorCode", e.getErrorCode())
        .attr("networkCode", e.getNetworkCode())
        .attr("price", e.getPrice())
        .attr("currency", e.getCurrency())
        .attr("providerMessageId", e.getProviderMessageId())
        .attr("dispatchedAt", e.getDispatchedAt())
        .attr("providerReportedAt", e.getProviderReportedAt())
        .attr("sendToReceiptMillis", e.getSendToReceiptMillis())
        .attr("channel", e.getChannel())
        .build();
  }

  private Activity blocked(String topic, SmsBlocked e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_BLOCKED)
        .category(ActivityCategory.SMS)
        .outcome(e.getShadow() ? ActivityOutcome.INFO : ActivityOutcome.BLOCKED)
        .severity(ActivitySeverity.WARNING)
        .summary(
            (e.getShadow()
                    ? "The send policy would have blocked the SMS (shadow mode): "
                    : "The send policy blocked the SMS: ")
                + e.getReason()
                + ".")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("reason", e.getReason())
        .attr("shadow", e.getShadow())
        .attr("limit", e.getLimit())
        .attr("observed", e.getObserved())
        .attr("windowSeconds", e.getWindowSeconds())
        .attr("policyVersion", e.getPolicyVersion())
        .build();
  }

  /**
   * A send refused at request time: no challenge may exist (a refused new challenge), so it shows
   * in the user's timeline and the feed, and in the challenge's own timeline for a refused resend.
   */
  private Activity sendRefused(String topic, ChallengeSendRefused e, String fallback) {
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
        .attr("ipAddressKey", e.getIpAddressKey())
        .build();
  }

  private Activity policy(String topic, SendPolicyUpdated e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.POLICY_SEND_POLICY_UPDATED)
        .category(ActivityCategory.POLICY)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary("The SMS send policy changed (version " + e.getVersion() + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), null)
        .attr("policyId", e.getPolicyId())
        .attr("version", e.getVersion())
        .attr("shadowMode", e.getShadowMode())
        .attr("allowedCountries", join(e.getAllowedCountries()))
        .attr("updatedBy", e.getUpdatedBy())
        .build();
  }

  private static String join(List<?> values) {
    return values == null
        ? null
        : values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static Builder b(String topic, String eventId, String fallback, String type) {
    String sourceEventId = eventId == null || eventId.isEmpty() ? fallback : eventId;
    return new Builder(topic, sourceEventId, type);
  }

  /** Collects one activity's fields; attributes with a null value are left out. */
  private static final class Builder {
    private final String topic;
    private final String sourceEventId;
    private final String type;
    private ActivityCategory category;
    private ActivityOutcome outcome = ActivityOutcome.INFO;
    private ActivitySeverity severity;
    private String summary;
    private Instant occurredAt;
    private String correlationId;
    private String userId;
    private String challengeId;
    private String actionCode;
    private String idempotencyKey;
    private String authenticatorId;
    private String masked;
    private String phoneHash;
    private String country;
    private String ip;
    private boolean test;
    private final TreeMap<String, String> attributes = new TreeMap<>();

    Builder(String topic, String sourceEventId, String type) {
      this.topic = topic;
      this.sourceEventId = sourceEventId;
      this.type = type;
    }

    Builder category(ActivityCategory value) {
      category = value;
      return this;
    }

    Builder outcome(ActivityOutcome value) {
      outcome = value;
      return this;
    }

    Builder severity(ActivitySeverity value) {
      severity = value;
      return this;
    }

    Builder summary(String value) {
      summary = value;
      return this;
    }

    Builder common(Instant at, String correlation, String user) {
      occurredAt = at == null ? Instant.EPOCH : at;
      correlationId = blankToNull(correlation);
      userId = blankToNull(user);
      return this;
    }

    Builder challenge(String id, String action, String idempotency) {
      challengeId = blankToNull(id);
      actionCode = blankToNull(action);
      idempotencyKey = blankToNull(idempotency);
      return this;
    }

    Builder action(String action, String idempotency) {
      actionCode = blankToNull(action);
      idempotencyKey = blankToNull(idempotency);
      return this;
    }

    Builder challengeId(String id) {
      challengeId = blankToNull(id);
      return this;
    }

    Builder authenticator(String id) {
      authenticatorId = blankToNull(id);
      return this;
    }

    Builder phone(String maskedNumber, String hash, String countryCode) {
      masked = blankToNull(maskedNumber);
      phoneHash = hash;
      country = blankToNull(countryCode);
      return this;
    }

    Builder ip(String value) {
      ip = blankToNull(value);
      return this;
    }

    Builder test(boolean value) {
      test = value;
      return this;
    }

    Builder attr(String key, Object value) {
      if (value != null) {
        attributes.put(
            key, value instanceof Instant at ? Long.toString(at.toEpochMilli()) : value.toString());
      }
      return this;
    }

    Activity build() {
      ActivitySeverity effective =
          severity != null
              ? severity
              : outcome == ActivityOutcome.BLOCKED
                  ? ActivitySeverity.WARNING
                  : ActivitySeverity.INFO;
      return new Activity(
          ActivityIds.activityId(topic, sourceEventId),
          type,
          category,
          outcome,
          effective,
          summary,
          occurredAt,
          correlationId,
          userId,
          challengeId,
          actionCode,
          idempotencyKey,
          authenticatorId,
          masked,
          phoneHash,
          country,
          ip,
          test,
          topic,
          sourceEventId,
          attributes);
    }

    private static String blankToNull(String value) {
      return value == null || value.isEmpty() ? null : value;
    }
  }
}
