package dev.signet.rules.evaluation;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A predicate over a tracked action. Leaves test one attribute or risk signal; {@link All}, {@link
 * Any} and {@link Not} combine them. Every evaluation returns a {@link Trace} so that a dry run can
 * explain which parts matched. A missing attribute never matches a leaf (wrap it in {@code not} to
 * match its absence), except {@link NewDevice}, where an unknown device counts as new: a device
 * that cannot be recognised has not been seen before.
 */
public sealed interface Condition {

  Trace evaluate(EvaluationContext context);

  /** Matches when every sub-condition matches. */
  record All(List<Condition> conditions) implements Condition {
    public All {
      conditions = List.copyOf(conditions);
    }

    @Override
    public Trace evaluate(EvaluationContext context) {
      List<Trace> children = new ArrayList<>();
      boolean matched = true;
      for (Condition c : conditions) {
        Trace t = c.evaluate(context);
        children.add(t);
        matched &= t.matched();
      }
      return new Trace("all", matched, children.size() + " conditions", children);
    }
  }

  /** Matches when at least one sub-condition matches. */
  record Any(List<Condition> conditions) implements Condition {
    public Any {
      conditions = List.copyOf(conditions);
    }

    @Override
    public Trace evaluate(EvaluationContext context) {
      List<Trace> children = new ArrayList<>();
      boolean matched = false;
      for (Condition c : conditions) {
        Trace t = c.evaluate(context);
        children.add(t);
        matched |= t.matched();
      }
      return new Trace("any", matched, children.size() + " conditions", children);
    }
  }

  /** Matches when the sub-condition does not. */
  record Not(Condition condition) implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      Trace t = condition.evaluate(context);
      return new Trace("not", !t.matched(), "negation", List.of(t));
    }
  }

  /** The client IP address is one of the addresses or falls in one of the CIDR ranges. */
  record IpAddressIn(List<IpRange> ranges) implements Condition {
    public IpAddressIn {
      ranges = List.copyOf(ranges);
    }

    @Override
    public Trace evaluate(EvaluationContext context) {
      String ip = context.action().ipAddress();
      var bytes = IpRange.literal(ip);
      if (bytes.isEmpty()) {
        return Trace.leaf("ipAddress", false, ip == null ? "no ipAddress" : "ipAddress invalid");
      }
      for (IpRange range : ranges) {
        if (range.contains(bytes.get())) {
          return Trace.leaf("ipAddress", true, "ipAddress in " + range);
        }
      }
      return Trace.leaf("ipAddress", false, "ipAddress in none of " + ranges.size() + " ranges");
    }
  }

  /**
   * The user agent equals, contains or starts with a text (ignoring case), or a regular expression
   * finds a match in it. Only the first {@link #MAX_LENGTH} characters of the user agent are
   * compared, for every operator: a longer agent is cut, not refused, so that padding an agent
   * cannot slip it past a rule that looks at its start. The regular expression runs on a
   * linear-time engine ({@link RulePattern}), so its cost is bounded by the cut length times the
   * pattern's capped size.
   */
  record UserAgent(TextOperator operator, String value, RulePattern pattern) implements Condition {
    /** How many characters of the user agent a condition looks at. */
    public static final int MAX_LENGTH = 1024;

    @Override
    public Trace evaluate(EvaluationContext context) {
      String agent = context.action().userAgent();
      if (agent == null) {
        return Trace.leaf("userAgent", false, "no userAgent");
      }
      if (agent.length() > MAX_LENGTH) {
        agent = agent.substring(0, MAX_LENGTH);
      }
      String lower = agent.toLowerCase(Locale.ROOT);
      String wanted = value.toLowerCase(Locale.ROOT);
      boolean matched =
          switch (operator) {
            case EQUALS -> lower.equals(wanted);
            case CONTAINS -> lower.contains(wanted);
            case STARTS_WITH -> lower.startsWith(wanted);
            case MATCHES -> pattern.find(agent);
          };
      return Trace.leaf("userAgent", matched, "userAgent " + operator.symbol() + " " + value);
    }
  }

  /**
   * A stored condition that this version cannot read any more, such as a regular expression written
   * for the backtracking engine of an earlier version (a backreference or lookaround). It never
   * matches, so its rule is skipped; the stored tree is kept as it was, so that reading the rule
   * through the management API shows it and a replace can fix it.
   */
  record Unreadable(Map<String, Object> stored, String problem) implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      return Trace.leaf("unreadable", false, "rule ignored: " + problem);
    }
  }

  /** The device id was not seen for this user before (or no device id was sent). */
  record NewDevice() implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      boolean isNew = context.newDevice();
      String detail =
          context.action().deviceId() == null
              ? "no deviceId (counts as new)"
              : isNew ? "device not seen before" : "device seen before";
      return Trace.leaf("newDevice", isNew, detail);
    }
  }

  /** The user is (or is not) enrolled with an authenticator. */
  record Enrolled(boolean value) implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      boolean enrolled = context.action().enrolled();
      return Trace.leaf("enrolled", enrolled == value, "enrolled=" + enrolled);
    }
  }

  /**
   * A comparison of one custom data key. Numbers compare numerically (an integer equals the same
   * decimal), strings exactly, booleans by value; values of another type than the rule's never
   * match. {@code value} is used by single-value operators, {@code values} by {@code in}/{@code
   * notIn}.
   */
  record Custom(String key, CustomOperator operator, Object value, List<Object> values)
      implements Condition {
    public Custom {
      values = values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public Trace evaluate(EvaluationContext context) {
      Map<String, Object> custom = context.action().custom();
      String name = "custom." + key;
      if (!custom.containsKey(key) || custom.get(key) == null) {
        return Trace.leaf("custom", false, name + " absent");
      }
      Object actual = custom.get(key);
      boolean matched =
          switch (operator) {
            case EXISTS -> true;
            case EQ -> same(actual, value);
            case NE -> !same(actual, value);
            case GT, GTE, LT, LTE ->
                actual instanceof Number n
                    && Comparison.of(operator.symbol())
                        .test(n.doubleValue(), ((Number) value).doubleValue());
            case IN -> values.stream().anyMatch(v -> same(actual, v));
            case NOT_IN -> values.stream().noneMatch(v -> same(actual, v));
            case CONTAINS -> actual instanceof String s && s.contains((String) value);
            case STARTS_WITH -> actual instanceof String s && s.startsWith((String) value);
          };
      String wanted =
          switch (operator) {
            case EXISTS -> "";
            case IN, NOT_IN -> " " + values.size() + " values";
            default -> " " + value;
          };
      return Trace.leaf("custom", matched, name + " " + operator.symbol() + wanted);
    }

    static boolean same(Object actual, Object expected) {
      if (actual instanceof Number a && expected instanceof Number e) {
        return a.doubleValue() == e.doubleValue();
      }
      return actual.equals(expected);
    }
  }

  /** The number of actions of this code by the user within the window (this one included). */
  record Velocity(Duration window, Comparison comparison, long value) implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      long count = context.actions(window);
      return Trace.leaf(
          "velocity",
          comparison.test(count, value),
          count + " actions in " + window + " " + comparison.symbol() + " " + value);
    }
  }

  /** The number of rejected codes of the user's challenges within the window. */
  record FailedVerifications(Duration window, Comparison comparison, long value)
      implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      long count = context.failedVerifications(window);
      return Trace.leaf(
          "failedVerifications",
          comparison.test(count, value),
          count + " failed verifications in " + window + " " + comparison.symbol() + " " + value);
    }
  }

  /** The number of SMS to the user that could not be delivered within the window. */
  record FailedDeliveries(Duration window, Comparison comparison, long value) implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      long count = context.failedDeliveries(window);
      return Trace.leaf(
          "failedDeliveries",
          comparison.test(count, value),
          count + " failed deliveries in " + window + " " + comparison.symbol() + " " + value);
    }
  }

  /** The user's SMS authenticator is in one of these countries (ISO 3166-1 alpha-2). */
  record PhoneCountryIn(List<String> countries) implements Condition {
    public PhoneCountryIn {
      countries = List.copyOf(countries);
    }

    @Override
    public Trace evaluate(EvaluationContext context) {
      String country = context.action().phoneCountry();
      if (country == null) {
        return Trace.leaf("phoneCountry", false, "no phone country");
      }
      boolean matched = countries.contains(country.toUpperCase(Locale.ROOT));
      return Trace.leaf("phoneCountry", matched, "phoneCountry " + country + " in " + countries);
    }
  }

  /**
   * The local time in the zone is in {@code [from, to)}; a window whose end is before its start
   * spans midnight (22:00–06:00).
   */
  record TimeOfDay(LocalTime from, LocalTime to, ZoneId zone) implements Condition {
    @Override
    public Trace evaluate(EvaluationContext context) {
      LocalTime local = context.now().atZone(zone).toLocalTime();
      boolean matched =
          from.isBefore(to)
              ? !local.isBefore(from) && local.isBefore(to)
              : !local.isBefore(from) || local.isBefore(to);
      return Trace.leaf(
          "timeOfDay",
          matched,
          "time " + local.withNano(0) + " " + zone + " in " + from + "–" + to);
    }
  }
}
