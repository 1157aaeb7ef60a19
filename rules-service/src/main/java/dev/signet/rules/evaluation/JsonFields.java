package dev.signet.rules.evaluation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict readers of the fields of a condition's JSON tree: each refuses a missing or mistyped value
 * with the path of the field and a message the management API returns as it is.
 */
final class JsonFields {

  private JsonFields() {}

  static void only(Map<?, ?> node, String path, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Object key : node.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw invalid(
            path + "." + truncate(String.valueOf(key)),
            "is not a field of a " + node.get("type") + " condition");
      }
    }
  }

  static void forbid(Map<?, ?> node, String path, String field) {
    if (node.containsKey(field)) {
      throw invalid(path + "." + field, "is not used with this operator");
    }
  }

  static List<?> list(Map<?, ?> node, String path, String field) {
    Object value = node.get(field);
    if (!(value instanceof List<?> list)) {
      throw invalid(path + "." + field, "is required and must be an array");
    }
    if (list.isEmpty()) {
      throw invalid(path + "." + field, "must not be empty");
    }
    if (list.size() > ConditionCodec.MAX_LIST) {
      throw invalid(path + "." + field, "has more than " + ConditionCodec.MAX_LIST + " entries");
    }
    return list;
  }

  static String string(Object value, String path) {
    if (!(value instanceof String s)) {
      throw invalid(path, "is required and must be a string");
    }
    if (s.length() > ConditionCodec.MAX_TEXT) {
      throw invalid(path, "is longer than " + ConditionCodec.MAX_TEXT + " characters");
    }
    return s;
  }

  static Number number(Object value, String path) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        return d;
      }
    }
    throw invalid(path, "is required and must be a number");
  }

  static Object primitive(Object value, String path) {
    if (value instanceof String s) {
      return string(s, path);
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number) {
      return number(value, path);
    }
    throw invalid(path, "must be a string, a number or a boolean");
  }

  static Comparison comparison(Object value, String path) {
    Comparison c = Comparison.of(string(value, path));
    if (c == null) {
      throw invalid(path, "must be one of eq, ne, gt, gte, lt, lte");
    }
    return c;
  }

  static Duration window(Object value, String path) {
    String text = string(value, path);
    Duration d;
    try {
      d = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(path, "must be an ISO-8601 duration, like PT1H or PT10M");
    }
    if (d.compareTo(ConditionCodec.MIN_WINDOW) < 0 || d.compareTo(ConditionCodec.MAX_WINDOW) > 0) {
      throw invalid(path, "must be between PT1S and P30D");
    }
    return d;
  }

  static LocalTime time(Object value, String path) {
    String text = string(value, path);
    if (!text.matches("^([01][0-9]|2[0-3]):[0-5][0-9]$")) {
      throw invalid(path, "must be a time HH:mm, like 22:00");
    }
    return LocalTime.parse(text);
  }

  static String truncate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  static InvalidRuleException invalid(String path, String message) {
    return new InvalidRuleException(path + " " + message);
  }
}
