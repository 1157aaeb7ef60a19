package dev.signet.rules.evaluation;

/**
 * One rule of an action: when its condition matches, the action gets its outcome. Rules are tried
 * by ascending priority (then id, so the order is total); the first enabled match wins.
 */
public record Rule(
    String id,
    String actionCode,
    String name,
    String description,
    int priority,
    boolean enabled,
    Outcome outcome,
    Condition condition) {

  static final java.util.Comparator<Rule> ORDER =
      java.util.Comparator.comparingInt(Rule::priority).thenComparing(Rule::id);
}
