package dev.signet.rules.evaluation;

import static dev.signet.rules.evaluation.JsonFields.comparison;
import static dev.signet.rules.evaluation.JsonFields.forbid;
import static dev.signet.rules.evaluation.JsonFields.invalid;
import static dev.signet.rules.evaluation.JsonFields.list;
import static dev.signet.rules.evaluation.JsonFields.number;
import static dev.signet.rules.evaluation.JsonFields.only;
import static dev.signet.rules.evaluation.JsonFields.primitive;
import static dev.signet.rules.evaluation.JsonFields.string;
import static dev.signet.rules.evaluation.JsonFields.time;
import static dev.signet.rules.evaluation.JsonFields.truncate;
import static dev.signet.rules.evaluation.JsonFields.window;

import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one rule's condition tree, counting as it goes what the caps of {@link ConditionCodec}
 * bound: the conditions of the rule and the expansion of its regular expressions together.
 */
final class ConditionReader {

  private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");

  private int nodes;
  private int expansion;

  Condition read(Object json, String path, int depth) {
    if (depth > ConditionCodec.MAX_DEPTH) {
      throw invalid(
          path, "conditions are nested deeper than " + ConditionCodec.MAX_DEPTH + " levels");
    }
    if (++nodes > ConditionCodec.MAX_NODES) {
      throw invalid(path, "a rule has at most " + ConditionCodec.MAX_NODES + " conditions");
    }
    if (!(json instanceof Map<?, ?> node)) {
      throw invalid(path, "must be an object");
    }
    Object typeValue = node.get("type");
    if (!(typeValue instanceof String type)) {
      throw invalid(path + ".type", "is required and must be a string");
    }
    return switch (type) {
      case "all", "any" -> group(node, type, path, depth);
      case "not" -> not(node, path, depth);
      case "ipAddress" -> ipAddress(node, path);
      case "userAgent" -> userAgent(node, path);
      case "newDevice" -> {
        only(node, path, "type");
        yield new Condition.NewDevice();
      }
      case "enrolled" -> {
        only(node, path, "type", "value");
        if (!(node.get("value") instanceof Boolean b)) {
          throw invalid(path + ".value", "is required and must be a boolean");
        }
        yield new Condition.Enrolled(b);
      }
      case "custom" -> custom(node, path);
      case "velocity", "failedVerifications", "failedDeliveries" -> counted(node, type, path);
      case "phoneCountry" -> phoneCountry(node, path);
      case "timeOfDay" -> timeOfDay(node, path);
      default ->
          throw invalid(
              path + ".type",
              "unknown condition type '"
                  + truncate(type)
                  + "' (expected all, any, not, ipAddress, userAgent, newDevice, enrolled,"
                  + " custom, velocity, failedVerifications, failedDeliveries, phoneCountry,"
                  + " timeOfDay)");
    };
  }

  private Condition group(Map<?, ?> node, String type, String path, int depth) {
    only(node, path, "type", "conditions");
    List<?> list = list(node, path, "conditions");
    List<Condition> children = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      children.add(read(list.get(i), path + ".conditions[" + i + "]", depth + 1));
    }
    return type.equals("all") ? new Condition.All(children) : new Condition.Any(children);
  }

  private Condition not(Map<?, ?> node, String path, int depth) {
    only(node, path, "type", "condition");
    if (!node.containsKey("condition")) {
      throw invalid(path + ".condition", "is required");
    }
    return new Condition.Not(read(node.get("condition"), path + ".condition", depth + 1));
  }

  private static Condition ipAddress(Map<?, ?> node, String path) {
    only(node, path, "type", "in");
    List<?> list = list(node, path, "in");
    List<IpRange> ranges = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + ".in[" + i + "]";
      String text = string(list.get(i), p);
      ranges.add(
          IpRange.parse(text).orElseThrow(() -> invalid(p, "is not an IP address or CIDR range")));
    }
    return new Condition.IpAddressIn(ranges);
  }

  private Condition userAgent(Map<?, ?> node, String path) {
    only(node, path, "type", "operator", "value");
    String op = string(node.get("operator"), path + ".operator");
    TextOperator operator = TextOperator.of(op);
    if (operator == null) {
      throw invalid(path + ".operator", "must be one of equals, contains, startsWith, matches");
    }
    String value = string(node.get("value"), path + ".value");
    if (value.isEmpty()) {
      throw invalid(path + ".value", "must not be empty");
    }
    RulePattern pattern =
        operator == TextOperator.MATCHES ? RulePattern.compile(value, path + ".value") : null;
    if (pattern != null) {
      expansion += (int) pattern.expansion();
      if (expansion > RulePattern.MAX_RULE_EXPANSION) {
        throw invalid(
            path + ".value",
            "brings the rule's regular expressions to more than "
                + RulePattern.MAX_RULE_EXPANSION
                + " instructions together");
      }
    }
    return new Condition.UserAgent(operator, value, pattern);
  }

  private static Condition counted(Map<?, ?> node, String type, String path) {
    only(node, path, "type", "window", "operator", "value");
    Duration window = window(node.get("window"), path + ".window");
    Comparison comparison = comparison(node.get("operator"), path + ".operator");
    Object v = node.get("value");
    if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)
        || ((Number) v).longValue() < 0) {
      throw invalid(path + ".value", "is required and must be a non-negative integer");
    }
    long value = ((Number) v).longValue();
    return switch (type) {
      case "velocity" -> new Condition.Velocity(window, comparison, value);
      case "failedVerifications" -> new Condition.FailedVerifications(window, comparison, value);
      default -> new Condition.FailedDeliveries(window, comparison, value);
    };
  }

  private static Condition phoneCountry(Map<?, ?> node, String path) {
    only(node, path, "type", "in");
    List<?> list = list(node, path, "in");
    List<String> countries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + ".in[" + i + "]";
      String c = string(list.get(i), p);
      if (!COUNTRY.matcher(c).matches()) {
        throw invalid(p, "must be an ISO 3166-1 alpha-2 code in capitals, like GB");
      }
      countries.add(c);
    }
    return new Condition.PhoneCountryIn(countries);
  }

  private static Condition timeOfDay(Map<?, ?> node, String path) {
    only(node, path, "type", "from", "to", "zone");
    LocalTime from = time(node.get("from"), path + ".from");
    LocalTime to = time(node.get("to"), path + ".to");
    if (from.equals(to)) {
      throw invalid(path + ".to", "must differ from from");
    }
    ZoneId zone;
    Object z = node.get("zone");
    if (z == null) {
      zone = ZoneId.of("UTC");
    } else {
      try {
        zone = ZoneId.of(string(z, path + ".zone"));
      } catch (java.time.DateTimeException e) {
        throw invalid(path + ".zone", "is not a time zone id, like Europe/Berlin or UTC");
      }
    }
    return new Condition.TimeOfDay(from, to, zone);
  }

  private static Condition custom(Map<?, ?> node, String path) {
    only(node, path, "type", "key", "operator", "value", "values");
    String key = string(node.get("key"), path + ".key");
    if (!KEY.matcher(key).matches()) {
      throw invalid(path + ".key", "must match ^[A-Za-z0-9_.-]{1,64}$");
    }
    String op = string(node.get("operator"), path + ".operator");
    CustomOperator operator = CustomOperator.of(op);
    if (operator == null) {
      throw invalid(
          path + ".operator",
          "must be one of eq, ne, gt, gte, lt, lte, in, notIn, contains, startsWith, exists");
    }
    Object value = null;
    List<Object> values = List.of();
    switch (operator) {
      case EXISTS -> {
        forbid(node, path, "value");
        forbid(node, path, "values");
      }
      case IN, NOT_IN -> {
        forbid(node, path, "value");
        List<?> list = list(node, path, "values");
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          out.add(primitive(list.get(i), path + ".values[" + i + "]"));
        }
        values = out;
      }
      case GT, GTE, LT, LTE -> {
        forbid(node, path, "values");
        value = number(node.get("value"), path + ".value");
      }
      case CONTAINS, STARTS_WITH -> {
        forbid(node, path, "values");
        value = string(node.get("value"), path + ".value");
      }
      case EQ, NE -> {
        forbid(node, path, "values");
        value = primitive(node.get("value"), path + ".value");
      }
    }
    return new Condition.Custom(key, operator, value, values);
  }
}
