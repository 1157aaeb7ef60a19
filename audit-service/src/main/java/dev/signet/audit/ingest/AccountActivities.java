package dev.signet.audit.ingest;

import static dev.signet.audit.ingest.ActivityBuilder.b;
import static dev.signet.audit.ingest.ActivityBuilder.join;

import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.authenticator.AuthenticatorRemoved;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.session.SessionCreated;
import dev.signet.events.session.SessionRefreshed;
import dev.signet.events.session.SessionReuseDetected;
import dev.signet.events.session.SessionRevoked;
import dev.signet.events.user.UserDeleted;
import dev.signet.events.user.UserUpdated;

/** The activities of a user's account: authenticators, the user record and sessions. */
final class AccountActivities {

  /**
   * The activity of {@code event}, to be built, or null when it is not one of this family's events.
   */
  ActivityBuilder normalise(String topic, Object event, String fallback) {
    if (event instanceof AuthenticatorEnrolled e) {
      return enrolled(topic, e, fallback);
    }
    if (event instanceof AuthenticatorUpdated e) {
      return authenticatorUpdated(topic, e, fallback);
    }
    if (event instanceof AuthenticatorRemoved e) {
      return removed(topic, e, fallback);
    }
    if (event instanceof UserUpdated e) {
      return userUpdated(topic, e, fallback);
    }
    if (event instanceof UserDeleted e) {
      return userDeleted(topic, e, fallback);
    }
    if (event instanceof SessionCreated e) {
      return sessionCreated(topic, e, fallback);
    }
    if (event instanceof SessionRefreshed e) {
      return sessionRefreshed(topic, e, fallback);
    }
    if (event instanceof SessionRevoked e) {
      return sessionRevoked(topic, e, fallback);
    }
    if (event instanceof SessionReuseDetected e) {
      return sessionReuseDetected(topic, e, fallback);
    }
    return null;
  }

  private ActivityBuilder enrolled(String topic, AuthenticatorEnrolled e, String fallback) {
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
        .attr("verifiedAt", e.getVerifiedAt());
  }

  private ActivityBuilder authenticatorUpdated(
      String topic, AuthenticatorUpdated e, String fallback) {
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
        .attr("source", e.getSource());
  }

  private ActivityBuilder removed(String topic, AuthenticatorRemoved e, String fallback) {
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
        .attr("remainingAuthenticators", e.getRemainingAuthenticators());
  }

  private ActivityBuilder userUpdated(String topic, UserUpdated e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.USER_UPDATED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .summary(e.getCreated() ? "The user was created." : "The user was updated.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .phone(e.getPhoneNumberMasked(), null, e.getPhoneCountryCode())
        .attr("created", e.getCreated())
        .attr("changedFields", join(e.getChangedFields()))
        .attr("emailMasked", e.getEmailMasked())
        .attr("isEnrolled", e.getIsEnrolled());
  }

  private ActivityBuilder userDeleted(String topic, UserDeleted e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.USER_DELETED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary("The user was deleted.")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .attr("removedAuthenticatorIds", join(e.getRemovedAuthenticatorIds()));
  }

  private ActivityBuilder sessionCreated(String topic, SessionCreated e, String fallback) {
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
        .attr("sessionExpiresAt", e.getSessionExpiresAt());
  }

  private ActivityBuilder sessionRefreshed(String topic, SessionRefreshed e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SESSION_REFRESHED)
        .category(ActivityCategory.USER)
        .outcome(ActivityOutcome.INFO)
        .summary("A session was refreshed (refresh " + e.getGeneration() + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .attr("sessionId", e.getSessionId())
        .attr("clientId", e.getClientId())
        .attr("generation", e.getGeneration())
        .attr("accessTokenExpiresAt", e.getAccessTokenExpiresAt());
  }

  private ActivityBuilder sessionRevoked(String topic, SessionRevoked e, String fallback) {
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
        .attr("reason", e.getReason());
  }

  private ActivityBuilder sessionReuseDetected(
      String topic, SessionReuseDetected e, String fallback) {
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
        .attr("alreadyRevoked", e.getAlreadyRevoked());
  }
}
