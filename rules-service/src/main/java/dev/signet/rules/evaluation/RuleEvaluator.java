package dev.signet.rules.evaluation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a tracked action: tries the enabled rules of its action by priority and returns the first
 * match's outcome, or the action's default. Pure: time comes from the injected clock, history from
 * the {@link RiskSignals} port.
 */
public final class RuleEvaluator {

  private final Clock clock;

  public RuleEvaluator(Clock clock) {
    this.clock = clock;
  }

  /** The decision, stopping at the first matching rule (what the decision path runs). */
  public Decision decide(
      List<Rule> rules, ActionDefaults defaults, ActionAttributes action, RiskSignals signals) {
    return evaluate(rules, defaults, action, signals, false);
  }

  /**
   * The decision plus the trace of every rule, also those after the winner, so an operator sees
   * what each rule would do (what the dry run shows).
   */
  public Decision explain(
      List<Rule> rules, ActionDefaults defaults, ActionAttributes action, RiskSignals signals) {
    return evaluate(rules, defaults, action, signals, true);
  }

  /**
   * The signals a decision on this action may read: a dry pass over every enabled rule that only
   * records the questions (see {@link SignalPlan}).
   */
  public SignalPlan plan(List<Rule> rules, ActionDefaults defaults, ActionAttributes action) {
    SignalPlan plan = new SignalPlan();
    evaluate(rules, defaults, action, plan, true);
    return plan;
  }

  private Decision evaluate(
      List<Rule> rules,
      ActionDefaults defaults,
      ActionAttributes action,
      RiskSignals signals,
      boolean all) {
    EvaluationContext context = new EvaluationContext(action, clock.instant(), signals);
    List<Rule> ordered = rules.stream().sorted(Rule.ORDER).toList();
    List<Decision.RuleTrace> traces = new ArrayList<>();
    Rule winner = null;
    for (Rule rule : ordered) {
      if (!rule.enabled()) {
        traces.add(new Decision.RuleTrace(rule, false, false, null));
        continue;
      }
      if (winner != null && !all) {
        break;
      }
      Trace trace = rule.condition().evaluate(context);
      traces.add(new Decision.RuleTrace(rule, true, trace.matched(), trace));
      if (trace.matched() && winner == null) {
        winner = rule;
      }
    }
    if (winner == null) {
      return new Decision(
          defaults.forUser(action.enrolled()), List.of(), true, context.signalsRead(), traces);
    }
    return new Decision(winner.outcome(), List.of(winner), false, context.signalsRead(), traces);
  }
}
