package dev.signet.rules.evaluation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a condition as the JSON tree {@link ConditionCodec#read} accepts. */
final class ConditionWriter {

  private ConditionWriter() {}

  static Map<String, Object> write(Condition condition) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (condition instanceof Condition.All all) {
      out.put("type", "all");
      out.put("conditions", all.conditions().stream().map(ConditionWriter::write).toList());
    } else if (condition instanceof Condition.Any any) {
      out.put("type", "any");
      out.put("conditions", any.conditions().stream().map(ConditionWriter::write).toList());
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
      counted(out, "velocity", v.window(), v.comparison(), v.value());
    } else if (condition instanceof Condition.FailedVerifications f) {
      counted(out, "failedVerifications", f.window(), f.comparison(), f.value());
    } else if (condition instanceof Condition.FailedDeliveries f) {
      counted(out, "failedDeliveries", f.window(), f.comparison(), f.value());
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

  private static void counted(
      Map<String, Object> out, String type, Duration window, Comparison comparison, long value) {
    out.put("type", type);
    out.put("window", window.toString());
    out.put("operator", comparison.symbol());
    out.put("value", value);
  }
}
