package dev.signet.audit.ingest;

import static dev.signet.audit.ingest.ActivityBuilder.b;
import static dev.signet.audit.ingest.ActivityBuilder.join;

import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.action.StateChangeCause;
import java.util.stream.Collectors;

/** The activities of the action events: tracked, decided by the rules, state changed. */
final class ActionActivities {

  /**
   * The activity of {@code event}, to be built, or null when it is not one of this family's events.
   */
  ActivityBuilder normalise(String topic, Object event, String fallback) {
    if (event instanceof ActionTracked e) {
      return tracked(topic, e, fallback);
    }
    if (event instanceof ActionDecided e) {
      return decided(topic, e, fallback);
    }
    if (event instanceof ActionStateChanged e) {
      return stateChanged(topic, e, fallback);
    }
    return null;
  }

  private ActivityBuilder tracked(String topic, ActionTracked e, String fallback) {
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
        .attr("enrolledVerificationMethods", join(e.getEnrolledVerificationMethods()));
  }

  private ActivityBuilder decided(String topic, ActionDecided e, String fallback) {
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
        .attr("evaluationMillis", e.getEvaluationMillis());
  }

  private ActivityBuilder stateChanged(String topic, ActionStateChanged e, String fallback) {
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
        .attr("deviceId", e.getDeviceId());
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
}
