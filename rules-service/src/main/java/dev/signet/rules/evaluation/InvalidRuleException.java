package dev.signet.rules.evaluation;

/**
 * A rule document that cannot be accepted; the message names the offending field by its path
 * ({@code condition.conditions[1].window}) and is safe to return to the operator.
 */
public final class InvalidRuleException extends RuntimeException {

  public InvalidRuleException(String message) {
    super(message);
  }
}
