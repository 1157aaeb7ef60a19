package dev.signet.audit.activity;

/** How much attention an activity deserves: WARNING for blocks and exhausted attempts. */
public enum ActivitySeverity {
  INFO,
  NOTICE,
  WARNING
}
