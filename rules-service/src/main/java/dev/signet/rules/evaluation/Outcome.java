package dev.signet.rules.evaluation;

/** What a rule or an action's default decides: the tracked action's state follows from it. */
public enum Outcome {
  ALLOW,
  BLOCK,
  CHALLENGE,
  REVIEW
}
