package dev.signet.rules.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Condition;
import dev.signet.rules.evaluation.ConditionCodec;
import dev.signet.rules.evaluation.Rule;
import java.util.List;
import java.util.Map;

/** The rules management API's answers, their JSON members in the order of the components. */
final class RuleViews {

  private RuleViews() {}

  /**
   * One rule; {@code condition} is the condition's JSON tree as the API accepts it, {@code
   * unreadable} only for a rule stored by an earlier version that this one refuses (ignored until
   * replaced).
   */
  record RuleView(
      String ruleId,
      String actionCode,
      String name,
      String description,
      int priority,
      boolean enabled,
      String outcome,
      Map<String, Object> condition,
      @JsonInclude(JsonInclude.Include.NON_NULL) String unreadable) {

    static RuleView of(Rule rule) {
      return new RuleView(
          rule.id(),
          rule.actionCode(),
          rule.name(),
          rule.description(),
          rule.priority(),
          rule.enabled(),
          rule.outcome().name(),
          ConditionCodec.write(rule.condition()),
          rule.condition() instanceof Condition.Unreadable unreadable
              ? unreadable.problem()
              : null);
    }
  }

  /** An action's outcomes when no rule matches. */
  record DefaultsView(String enrolled, String unenrolled) {
    static DefaultsView of(ActionDefaults defaults) {
      return new DefaultsView(defaults.enrolled().name(), defaults.unenrolled().name());
    }
  }

  /** An action's rules in evaluation order. */
  record RuleList(List<RuleView> rules) {
    static RuleList of(List<Rule> rules) {
      return new RuleList(rules.stream().map(RuleView::of).toList());
    }
  }

  /** An action: its default outcomes and its rules in evaluation order. */
  record ActionView(String actionCode, DefaultsView defaultOutcomes, List<RuleView> rules) {}

  /** The action codes that have rules or default outcomes. */
  record ActionList(List<String> actions) {}

  /** A deletion that happened. */
  record Deleted(boolean success) {}
}
