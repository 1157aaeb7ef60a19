package dev.signet.challenge.action;

import java.util.List;

/**
 * rules-service's answer to a tracked action.
 *
 * @param outcome what the rules decided
 * @param rules the rule that decided, empty when the default outcome applied
 * @param defaultOutcome whether no rule matched
 */
record Decision(Outcome outcome, List<ActionRule> rules, boolean defaultOutcome) {

  /** The rules' outcomes; {@code UNKNOWN} is an outcome this version does not know. */
  enum Outcome {
    ALLOW,
    BLOCK,
    CHALLENGE,
    REVIEW,
    UNKNOWN
  }

  Decision {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
