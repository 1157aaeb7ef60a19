package dev.signet.rules.evaluation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes conditions as plain JSON trees ({@code Map}, {@code List}, strings, numbers,
 * booleans) — the shape of the management API and of the stored rules. Reading is strict: unknown
 * types or fields, wrong value types, empty lists and trees that are too deep or too large are
 * refused with the path of the offending field. A JSON tree cannot hold a cycle, and the depth and
 * size caps bound the cost of evaluating any accepted rule.
 */
public final class ConditionCodec {

  public static final int MAX_DEPTH = 8;
  public static final int MAX_NODES = 100;
  public static final int MAX_LIST = 500;
  public static final int MAX_TEXT = 256;
  static final Duration MIN_WINDOW = Duration.ofSeconds(1);
  static final Duration MAX_WINDOW = Duration.ofDays(30);
  private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");

  private ConditionCodec() {}

  /** The condition a JSON tree describes. */
  public static Condition read(Object json) {
    // [0]: conditions so far; [1]: expansion of the rule's regular expressions so far
    int[] nodes = {0, 0};
    return read(json, "condition", 1, nodes);
  }

  private static Condition read(Object json, String path, int depth, int[] nodes) {
    if (depth > MAX_DEPTH) {
      throw invalid(path, "conditions are nested deeper than " + MAX_DEPTH + " levels");
    }
    if (++nodes[0] > MAX_NODES) {
      throw invalid(path, "a rule has at most " + MAX_NODES + " conditions");
    }
    if (!(json instanceof Map<?, ?> node)) {
      throw invalid(path, "must be an object");
    }
    Object typeValue = node.get("type");
    if (!(typeValue instanceof String type)) {
      throw invalid(path + ".type", "is required and must be a string");
    }
    return switch (type) {
      case "all", "any" -> {
        only(node, path, "type", "conditions");
        List<?> list = list(node, path, "conditions");
        List<Condition> children = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          children.add(read(list.get(i), path + ".conditions[" + i + "]", depth + 1, nodes));
        }
        yield type.equals("all") ? new Condition.All(children) : new Condition.Any(children);
      }
      case "not" -> {
        only(node, path, "type", "condition");
        if (!node.containsKey("condition")) {
          throw invalid(path + ".condition", "is required");
        }
        yield new Condition.Not(read(node.get("condition"), path + ".condition", depth + 1, nodes));
      }
      case "ipAddress" -> {
        only(node, path, "type", "in");
        List<?> list = list(node, path, "in");
        List<IpRange> ranges = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          String p = path + ".in[" + i + "]";
          String text = string(list.get(i), p);
          ranges.add(
              IpRange.parse(text)
                  .orElseThrow(() -> invalid(p, "is not an IP address or CIDR range")));
        }
        yield new Condition.IpAddressIn(ranges);
      }
      case "userAgent" -> {
        only(node, path, "type", "operator", "value");
        String op = string(node.get("operator"), path + ".operator");
        Condition.TextOperator operator = Condition.TextOperator.of(op);
        if (operator == null) {
          throw invalid(path + ".operator", "must be one of equals, contains, startsWith, matches");
        }
        String value = string(node.get("value"), path + ".value");
        if (value.isEmpty()) {
          throw invalid(path + ".value", "must not be empty");
        }
        RulePattern pattern =
            operator == Condition.TextOperator.MATCHES
                ? RulePattern.compile(value, path + ".value")
                : null;
        if (pattern != null) {
          nodes[1] += (int) pattern.expansion();
          if (nodes[1] > RulePattern.MAX_RULE_EXPANSION) {
            throw invalid(
                path + ".value",
                "brings the rule's regular expressions to more than "
                    + RulePattern.MAX_RULE_EXPANSION
                    + " instructions together");
          }
        }
        yield new Condition.UserAgent(operator, value, pattern);
      }
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
      case "custom" -> readCustom(node, path);
      case "velocity", "failedVerifications", "failedDeliveries" -> {
        only(node, path, "type", "window", "operator", "value");
        Duration window = window(node.get("window"), path + ".window");
        Comparison comparison = comparison(node.get("operator"), path + ".operator");
        Object v = node.get("value");
        if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)
            || ((Number) v).longValue() < 0) {
          throw invalid(path + ".value", "is required and must be a non-negative integer");
        }
        long value = ((Number) v).longValue();
        yield switch (type) {
          case "velocity" -> new Condition.Velocity(window, comparison, value);
          case "failedVerifications" ->
              new Condition.FailedVerifications(window, comparison, value);
          default -> new Condition.FailedDeliveries(window, comparison, value);
        };
      }
      case "phoneCountry" -> {
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
        yield new Condition.PhoneCountryIn(countries);
      }
      case "timeOfDay" -> {
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
        yield new Condition.TimeOfDay(from, to, zone);
      }
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

  private static Condition readCustom(Map<?, ?> node, String path) {
    only(node, path, "type", "key", "operator", "value", "values");
    String key = string(node.get("key"), path + ".key");
    if (!KEY.matcher(key).matches()) {
      throw invalid(path + ".key", "must match ^[A-Za-z0-9_.-]{1,64}$");
    }
    String op = string(node.get("operator"), path + ".operator");
    Condition.CustomOperator operator = Condition.CustomOperator.of(op);
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

  /** The JSON tree of a condition, as {@link #read} accepts it. */
  public static Map<String, Object> write(Condition condition) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (condition instanceof Condition.All all) {
      out.put("type", "all");
      out.put("conditions", all.conditions().stream().map(ConditionCodec::write).toList());
    } else if (condition instanceof Condition.Any any) {
      out.put("type", "any");
      out.put("conditions", any.conditions().stream().map(ConditionCodec::write).toList());
    } else if (condition instanceof Condition.Not not) {
      out.put("type", "not");
      out.put("condition", write(not.condition()));
    } else if (condition instanceof Condition.IpAddressIn ip) {
      out.put("type", "ipAddress");
      out.put("in", ip.ranges().stream().map(IpRange::text).toList());
    } else if (condition instanceof Condition.UserAgent ua) {
      out.put("type", "userAgent");
      out.put("operator", ua.operator().symbol());
      out.put("value", ua.value());
    } else if (condition instanceof Condition.Unreadable unreadable) {
      return new LinkedHashMap<>(unreadable.stored());
    } else if (condition instanceof Condition.NewDevice) {
      out.put("type", "newDevice");
    } else if (condition instanceof Condition.Enrolled e) {
      out.put("type", "enrolled");
      out.put("value", e.value());
    } else if (condition instanceof Condition.Custom c) {
      out.put("type", "custom");
      out.put("key", c.key());
      out.put("operator", c.operator().symbol());
      switch (c.operator()) {
        case EXISTS -> {}
        case IN, NOT_IN -> out.put("values", c.values());
        default -> out.put("value", c.value());
      }
    } else if (condition instanceof Condition.Velocity v) {
      out.put("type", "velocity");
      out.put("window", v.window().toString());
      out.put("operator", v.comparison().symbol());
      out.put("value", v.value());
    } else if (condition instanceof Condition.FailedVerifications f) {
      out.put("type", "failedVerifications");
      out.put("window", f.window().toString());
      out.put("operator", f.comparison().symbol());
      out.put("value", f.value());
    } else if (condition instanceof Condition.FailedDeliveries f) {
      out.put("type", "failedDeliveries");
      out.put("window", f.window().toString());
      out.put("operator", f.comparison().symbol());
      out.put("value", f.value());
    } else if (condition instanceof Condition.PhoneCountryIn p) {
      out.put("type", "phoneCountry");
      out.put("in", p.countries());
    } else if (condition instanceof Condition.TimeOfDay t) {
      out.put("type", "timeOfDay");
      out.put("from", t.from().toString());
      out.put("to", t.to().toString());
      out.put("zone", t.zone().getId());
    } else {
      throw new IllegalArgumentException("unknown condition " + condition.getClass());
    }
    return out;
  }

  private static void only(Map<?, ?> node, String path, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Object key : node.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw invalid(
            path + "." + truncate(String.valueOf(key)),
            "is not a field of a " + node.get("type") + " condition");
      }
    }
  }

  private static void forbid(Map<?, ?> node, String path, String field) {
    if (node.containsKey(field)) {
      throw invalid(path + "." + field, "is not used with this operator");
    }
  }

  private static List<?> list(Map<?, ?> node, String path, String field) {
    Object value = node.get(field);
    if (!(value instanceof List<?> list)) {
      throw invalid(path + "." + field, "is required and must be an array");
    }
    if (list.isEmpty()) {
      throw invalid(path + "." + field, "must not be empty");
    }
    if (list.size() > MAX_LIST) {
      throw invalid(path + "." + field, "has more than " + MAX_LIST + " entries");
    }
    return list;
  }

  private static String string(Object value, String path) {
    if (!(value instanceof String s)) {
      throw invalid(path, "is required and must be a string");
    }
    if (s.length() > MAX_TEXT) {
      throw invalid(path, "is longer than " + MAX_TEXT + " characters");
    }
    return s;
  }

  private static Number number(Object value, String path) {
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

  private static Object primitive(Object value, String path) {
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

  private static Comparison comparison(Object value, String path) {
    Comparison c = Comparison.of(string(value, path));
    if (c == null) {
      throw invalid(path, "must be one of eq, ne, gt, gte, lt, lte");
    }
    return c;
  }

  private static Duration window(Object value, String path) {
    String text = string(value, path);
    Duration d;
    try {
      d = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(path, "must be an ISO-8601 duration, like PT1H or PT10M");
    }
    if (d.compareTo(MIN_WINDOW) < 0 || d.compareTo(MAX_WINDOW) > 0) {
      throw invalid(path, "must be between PT1S and P30D");
    }
    return d;
  }

  private static LocalTime time(Object value, String path) {
    String text = string(value, path);
    if (!text.matches("^([01][0-9]|2[0-3]):[0-5][0-9]$")) {
      throw invalid(path, "must be a time HH:mm, like 22:00");
    }
    return LocalTime.parse(text);
  }

  private static String truncate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static InvalidRuleException invalid(String path, String message) {
    return new InvalidRuleException(path + " " + message);
  }
}
