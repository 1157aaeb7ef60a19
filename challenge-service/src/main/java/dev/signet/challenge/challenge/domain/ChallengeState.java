package dev.signet.challenge.challenge.domain;

/**
 * Lifecycle of a challenge. A code verifies only in {@code PENDING}; a verified challenge can be
 * claimed once. Attempts exhaustion and expiry are read from the counters and the clock, so no
 * background job has to run for a dead challenge to be dead.
 */
public enum ChallengeState {
  PENDING,
  VERIFIED,
  CLAIMED,
  EXPIRED
}
