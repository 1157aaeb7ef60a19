package dev.signet.audit.activity;

/** Outcome of an activity for dashboards and filters (mirrors the audit event's enum). */
public enum ActivityOutcome {
  SUCCESS,
  FAILURE,
  BLOCKED,
  PENDING,
  INFO
}
