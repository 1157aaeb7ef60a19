package dev.signet.rules.evaluation;

import java.util.List;
import java.util.Map;

/**
 * The result of evaluating an action's rules: the outcome, the rule that produced it (empty when
 * the action's default applied), the risk signals that were read, and per rule the trace of its
 * evaluation in the order the rules were tried.
 */
public record Decision(
    Outcome outcome,
    List<Rule> matchedRules,
    boolean defaultOutcome,
    Map<String, String> signals,
    List<RuleTrace> traces) {

  public Decision {
    matchedRules = List.copyOf(matchedRules);
    signals = Map.copyOf(signals);
    traces = List.copyOf(traces);
  }

  public List<String> ruleIds() {
    return matchedRules.stream().map(Rule::id).toList();
  }

  /**
   * How one rule fared: skipped when disabled, otherwise matched or not with its condition trace.
   * {@code trace} is null for a rule that was not evaluated.
   */
  public record RuleTrace(Rule rule, boolean evaluated, boolean matched, Trace trace) {}
}
