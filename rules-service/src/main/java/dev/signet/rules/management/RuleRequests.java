package dev.signet.rules.management;

import static dev.signet.rules.management.BodyFields.known;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.signet.platform.web.HttpErrorException;
import dev.signet.platform.web.MismatchText;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.ConditionCodec;
import dev.signet.rules.evaluation.Outcome;
import dev.signet.rules.evaluation.Rule;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The rules management API's request bodies, each read into its domain value in one place: unknown
 * fields, wrong types and out-of-range values are refused with a message naming the field, never
 * coerced (see {@link BodyFields}).
 */
final class RuleRequests {

  static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  static final Pattern RULE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  private RuleRequests() {}

  static String actionCode(String value) {
    if (value == null || !ACTION_CODE.matcher(value).matches()) {
      throw HttpErrorException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    return value;
  }

  static String ruleId(String value) {
    if (value == null || !RULE_ID.matcher(value).matches()) {
      throw HttpErrorException.notFound("No such rule.");
    }
    return value;
  }

  /**
   * A rule to create or replace, or a candidate of a dry run: {@code {name, description?,
   * priority?, enabled?, outcome, condition}}. The condition is a JSON tree by contract (read by
   * {@link ConditionCodec}); a JSON {@code null} there is a condition that is not an object, an
   * absent one a missing field.
   */
  record RuleBody(
      String name,
      String description,
      JsonNode priority,
      Boolean enabled,
      @MismatchText("outcome" + BodyFields.OUTCOMES) String outcome,
      JsonNode condition,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    /** The rule; {@code defaultPriority} applies when the body has none. */
    Rule toRule(String id, String actionCode, int defaultPriority) {
      known(unknown, "");
      String name = BodyFields.text(this.name, "name", 100, true);
      String description = BodyFields.text(this.description, "description", 500, false);
      Integer priority = BodyFields.priority(this.priority);
      Outcome outcome = BodyFields.outcome(this.outcome, "outcome", true);
      if (condition == null) {
        throw HttpErrorException.invalid("condition is required.");
      }
      return new Rule(
          id,
          actionCode,
          name,
          description,
          priority == null ? defaultPriority : priority,
          enabled == null || enabled,
          outcome,
          ConditionCodec.read(BodyFields.plain(condition)));
    }
  }

  /** An action's default outcomes: {@code {enrolled?, unenrolled?}}, omitted = built-in. */
  record DefaultsBody(
      @MismatchText("enrolled" + BodyFields.OUTCOMES) String enrolled,
      @MismatchText("unenrolled" + BodyFields.OUTCOMES) String unenrolled,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    ActionDefaults toDefaults(String actionCode) {
      known(unknown, "");
      ActionDefaults builtIn = ActionDefaults.builtIn(actionCode);
      Outcome enrolled = BodyFields.outcome(this.enrolled, "enrolled", false);
      Outcome unenrolled = BodyFields.outcome(this.unenrolled, "unenrolled", false);
      return new ActionDefaults(
          actionCode,
          enrolled == null ? builtIn.enrolled() : enrolled,
          unenrolled == null ? builtIn.unenrolled() : unenrolled);
    }
  }

  /** A rule switched on or off and/or moved: {@code {enabled?, priority?}}, at least one. */
  record RulePatch(
      Boolean enabled, JsonNode priority, @JsonAnySetter Map<String, JsonNode> unknown) {

    /** The change, checked before any rule is read. */
    Change toChange() {
      known(unknown, "");
      Integer priority = BodyFields.priority(this.priority);
      if (enabled == null && priority == null) {
        throw HttpErrorException.invalid("Send enabled, priority or both.");
      }
      return new Change(enabled, priority);
    }

    /** What to change; {@code null} keeps the rule's own. */
    record Change(Boolean enabled, Integer priority) {
      Rule applyTo(Rule r) {
        return new Rule(
            r.id(),
            r.actionCode(),
            r.name(),
            r.description(),
            priority == null ? r.priority() : priority,
            enabled == null ? r.enabled() : enabled,
            r.outcome(),
            r.condition());
      }
    }
  }

  /** The new order of an action's rules: {@code {ruleIds:[...]}}, first tried first. */
  record RuleOrder(
      @MismatchText(NOT_RULE_IDS) List<String> ruleIds,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    static final String NOT_RULE_IDS = "ruleIds must be an array of rule ids.";

    List<String> toIds() {
      known(unknown, "");
      if (ruleIds == null || ruleIds.stream().anyMatch(Objects::isNull)) {
        throw HttpErrorException.invalid(NOT_RULE_IDS);
      }
      return ruleIds;
    }

    /** Refuses an order that does not list every rule of the action exactly once. */
    static void check(List<String> ids, List<Rule> rules) {
      Set<String> stored = new HashSet<>();
      rules.forEach(r -> stored.add(r.id()));
      if (ids.size() != stored.size()
          || !new HashSet<>(ids).equals(stored)
          || new HashSet<>(ids).size() != ids.size()) {
        throw HttpErrorException.invalid(
            "ruleIds must list every rule of the action exactly once.");
      }
    }
  }
}
