package dev.signet.challenge.action;

import java.util.List;

/**
 * The first state of a tracked action, with the rules behind it and what the rules decided.
 *
 * @param state the state
 * @param rules the rules behind it (the decision's, or the fallback rule)
 * @param cause how it came about
 * @param output the output {@code GET} of the action reports
 */
record FirstState(
    ActionState state, List<ActionRule> rules, StateChangeCause cause, ActionOutput output) {

  FirstState {
    rules = List.copyOf(rules);
  }
}
