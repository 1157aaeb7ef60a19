package dev.signet.rules.evaluation;

/**
 * What an action gets when no rule matches: one outcome for users with an authenticator, one for
 * users without. The built-in defaults follow the product contract — challenge an enrolled user,
 * allow a user who has nothing to be challenged with.
 */
public record ActionDefaults(String actionCode, Outcome enrolled, Outcome unenrolled) {

  public static ActionDefaults builtIn(String actionCode) {
    return new ActionDefaults(actionCode, Outcome.CHALLENGE, Outcome.ALLOW);
  }

  Outcome forUser(boolean isEnrolled) {
    return isEnrolled ? enrolled : unenrolled;
  }
}
