package dev.signet.audit.activity;

import java.util.List;

/**
 * The stable activity type names: {@code <context>.<event>} of the source topic. They are a
 * contract with SIEMs and dashboards (docs/audit-service.md): never renamed, only added.
 */
public final class ActivityTypes {

  public static final String CHALLENGE_REQUESTED = "challenge.requested";
  public static final String CHALLENGE_VERIFIED = "challenge.verified";
  public static final String CHALLENGE_VERIFICATION_FAILED = "challenge.verification-failed";
  public static final String CHALLENGE_CLAIMED = "challenge.claimed";
  public static final String CHALLENGE_EXPIRED = "challenge.expired";
  public static final String CHALLENGE_SEND_REFUSED = "challenge.send-refused";
  public static final String ACTION_TRACKED = "action.tracked";
  public static final String ACTION_DECIDED = "action.decided";
  public static final String ACTION_STATE_CHANGED = "action.state-changed";
  public static final String AUTHENTICATOR_ENROLLED = "authenticator.enrolled";
  public static final String AUTHENTICATOR_UPDATED = "authenticator.updated";
  public static final String AUTHENTICATOR_REMOVED = "authenticator.removed";
  public static final String USER_UPDATED = "user.updated";
  public static final String USER_DELETED = "user.deleted";
  public static final String SESSION_CREATED = "session.created";
  public static final String SESSION_REFRESHED = "session.refreshed";
  public static final String SESSION_REVOKED = "session.revoked";
  public static final String SESSION_REUSE_DETECTED = "session.reuse-detected";
  public static final String SMS_DISPATCHED = "sms.dispatched";
  public static final String SMS_DISPATCH_FAILED = "sms.dispatch-failed";
  public static final String SMS_DELIVERY_REPORTED = "sms.delivery-reported";
  public static final String SMS_BLOCKED = "sms.blocked";
  public static final String POLICY_SEND_POLICY_UPDATED = "policy.send-policy-updated";

  public static final List<String> ALL =
      List.of(
          CHALLENGE_REQUESTED,
          CHALLENGE_VERIFIED,
          CHALLENGE_VERIFICATION_FAILED,
          CHALLENGE_CLAIMED,
          CHALLENGE_EXPIRED,
          CHALLENGE_SEND_REFUSED,
          ACTION_TRACKED,
          ACTION_DECIDED,
          ACTION_STATE_CHANGED,
          AUTHENTICATOR_ENROLLED,
          AUTHENTICATOR_UPDATED,
          AUTHENTICATOR_REMOVED,
          USER_UPDATED,
          USER_DELETED,
          SESSION_CREATED,
          SESSION_REFRESHED,
          SESSION_REVOKED,
          SESSION_REUSE_DETECTED,
          SMS_DISPATCHED,
          SMS_DISPATCH_FAILED,
          SMS_DELIVERY_REPORTED,
          SMS_BLOCKED,
          POLICY_SEND_POLICY_UPDATED);

  private ActivityTypes() {}
}
