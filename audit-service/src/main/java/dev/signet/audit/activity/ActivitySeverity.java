package dev.signet.audit.activity;

/**
 * How much attention an activity deserves: WARNING for blocks and exhausted attempts, CRITICAL for
 * security events (a requested event whose sealed code does not open for its own fields: forged or
 * altered on Kafka).
 */
public enum ActivitySeverity {
  INFO,
  NOTICE,
  WARNING,
  CRITICAL
}
