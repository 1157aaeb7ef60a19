package dev.signet.rules.management;

import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.evaluation.ActionAttributes;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Condition;
import dev.signet.rules.evaluation.ConditionCodec;
import dev.signet.rules.evaluation.Outcome;
import dev.signet.rules.evaluation.Rule;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of management request bodies: unknown fields, wrong types and out-of-range values
 * are refused with a message naming the field, never coerced.
 */
final class RuleRequests {

  static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  static final Pattern RULE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  static final int MAX_PRIORITY = 1_000_000;
  static final int MAX_CUSTOM_KEYS = 100;
  private static final Set<String> RULE_FIELDS =
      Set.of("name", "description", "priority", "enabled", "outcome", "condition");

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
   * A rule from a create or replace body. {@code defaultPriority} applies when the body has none.
   */
  static Rule rule(Map<String, Object> body, String id, String actionCode, int defaultPriority) {
    only(body, RULE_FIELDS, "");
    String name = text(body.get("name"), "name", 100, true);
    String description = text(body.get("description"), "description", 500, false);
    Integer priority = priority(body.get("priority"), "priority");
    Object enabled = body.get("enabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      throw HttpErrorException.invalid("enabled must be a boolean.");
    }
    Outcome outcome = outcome(body.get("outcome"), "outcome", true);
    if (!body.containsKey("condition")) {
      throw HttpErrorException.invalid("condition is required.");
    }
    Condition condition = ConditionCodec.read(body.get("condition"));
    return new Rule(
        id,
        actionCode,
        name,
        description,
        priority == null ? defaultPriority : priority,
        enabled == null || (Boolean) enabled,
        outcome,
        condition);
  }

  static ActionDefaults defaults(String actionCode, Map<String, Object> body) {
    only(body, Set.of("enrolled", "unenrolled"), "");
    ActionDefaults builtIn = ActionDefaults.builtIn(actionCode);
    Outcome enrolled = outcome(body.get("enrolled"), "enrolled", false);
    Outcome unenrolled = outcome(body.get("unenrolled"), "unenrolled", false);
    return new ActionDefaults(
        actionCode,
        enrolled == null ? builtIn.enrolled() : enrolled,
        unenrolled == null ? builtIn.unenrolled() : unenrolled);
  }

  /** Sample attributes of a dry run, shaped like the track request. */
  static ActionAttributes attributes(String actionCode, Object value) {
    if (value == null) {
      value = Map.of();
    }
    if (!(value instanceof Map<?, ?> body)) {
      throw HttpErrorException.invalid("attributes must be an object.");
    }
    only(
        body,
        Set.of(
            "userId", "ipAddress", "userAgent", "deviceId", "custom", "isEnrolled", "phoneCountry"),
        "attributes.");
    Object enrolled = body.get("isEnrolled");
    if (enrolled != null && !(enrolled instanceof Boolean)) {
      throw HttpErrorException.invalid("attributes.isEnrolled must be a boolean.");
    }
    Map<String, Object> custom = new LinkedHashMap<>();
    Object rawCustom = body.get("custom");
    if (rawCustom != null) {
      if (!(rawCustom instanceof Map<?, ?> map)) {
        throw HttpErrorException.invalid("attributes.custom must be an object.");
      }
      if (map.size() > MAX_CUSTOM_KEYS) {
        throw HttpErrorException.invalid(
            "attributes.custom has more than " + MAX_CUSTOM_KEYS + " keys.");
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = e.getValue();
        if (v instanceof BigInteger big) {
          v = big.doubleValue();
        } else if (v instanceof Integer i) {
          v = i.longValue();
        }
        if (v != null
            && !(v instanceof String
                || v instanceof Long
                || v instanceof Double
                || v instanceof Boolean)) {
          throw HttpErrorException.invalid(
              "attributes.custom." + e.getKey() + " must be a string, number, boolean or null.");
        }
        custom.put(String.valueOf(e.getKey()), v);
      }
    }
    String userId = text(body.get("userId"), "attributes.userId", 128, false);
    return new ActionAttributes(
        "dry-run",
        userId == null ? "" : userId,
        actionCode,
        text(body.get("ipAddress"), "attributes.ipAddress", 64, false),
        text(body.get("userAgent"), "attributes.userAgent", 2048, false),
        text(body.get("deviceId"), "attributes.deviceId", 256, false),
        custom,
        enrolled != null && (Boolean) enrolled,
        text(body.get("phoneCountry"), "attributes.phoneCountry", 2, false));
  }

  static void only(Map<?, ?> body, Set<String> allowed, String prefix) {
    for (Object key : body.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        String shown = String.valueOf(key);
        shown = shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
        throw HttpErrorException.invalid(prefix + shown + " is not a known field.");
      }
    }
  }

  static String text(Object value, String field, int max, boolean required) {
    if (value == null) {
      if (required) {
        throw HttpErrorException.invalid(field + " is required.");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw HttpErrorException.invalid(field + " must be a string.");
    }
    if (required && s.isBlank()) {
      throw HttpErrorException.invalid(field + " must not be blank.");
    }
    if (s.length() > max) {
      throw HttpErrorException.invalid(field + " is longer than " + max + " characters.");
    }
    return s;
  }

  static Integer priority(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer i) || i < 0 || i > MAX_PRIORITY) {
      throw HttpErrorException.invalid(
          field + " must be an integer from 0 to " + MAX_PRIORITY + ".");
    }
    return i;
  }

  static Outcome outcome(Object value, String field, boolean required) {
    if (value == null) {
      if (required) {
        throw HttpErrorException.invalid(field + " is required.");
      }
      return null;
    }
    for (Outcome o : Outcome.values()) {
      if (o.name().equals(value)) {
        return o;
      }
    }
    throw HttpErrorException.invalid(field + " must be one of ALLOW, BLOCK, CHALLENGE, REVIEW.");
  }

  /** The JSON view of a rule. */
}
