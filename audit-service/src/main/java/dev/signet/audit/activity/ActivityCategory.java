package dev.signet.audit.activity;

/** Area of the platform an activity belongs to (mirrors the audit event's enum). */
public enum ActivityCategory {
  CHALLENGE,
  ACTION,
  AUTHENTICATOR,
  USER,
  SMS,
  POLICY
}
