package dev.signet.rules.management;

import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.policy.SendPolicy;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of send-policy management bodies: unknown fields, wrong types and out-of-range
 * values are refused with the field named, never coerced; and the JSON views of the policy.
 */
final class SendPolicyRequests {

  static final Set<String> SETTINGS =
      Set.of(
          "allowedCountries",
          "shadowMode",
          "perNumber",
          "perPrefix",
          "perCountry",
          "dailyGlobalBudget",
          "minConversionRate",
          "conversionMinVolume",
          "conversionWindowSeconds",
          "autoBlockSeconds");
  static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  static final Pattern PREFIX = Pattern.compile("^\\+[1-9][0-9]{4,12}$");
  static final Pattern REASON = Pattern.compile("^[a-z0-9_]{1,40}$");
  static final int MAX_WINDOW_SECONDS = (int) Duration.ofDays(30).toSeconds();
  static final int MAX_COUNT = 100_000_000;

  private SendPolicyRequests() {}

  /**
   * The settings a PUT (every field required) or a PATCH (at least one field; the rest kept from
   * {@code current}) describes.
   */
  static SendPolicy.Settings settings(
      Map<String, Object> body, SendPolicy.Settings current, boolean replace) {
    RuleRequests.only(body, SETTINGS, "");
    if (replace) {
      for (String field : SETTINGS) {
        if (!body.containsKey(field)) {
          throw HttpErrorException.invalid(
              field + " is required (PUT replaces every setting; PATCH changes some).");
        }
      }
    } else if (body.isEmpty()) {
      throw HttpErrorException.invalid("Send at least one setting to change.");
    }
    return new SendPolicy.Settings(
        body.containsKey("allowedCountries")
            ? countries(body.get("allowedCountries"))
            : current.allowedCountries(),
        body.containsKey("shadowMode")
            ? bool(body.get("shadowMode"), "shadowMode")
            : current.shadowMode(),
        body.containsKey("perNumber")
            ? velocity(body.get("perNumber"), "perNumber")
            : current.perNumber(),
        body.containsKey("perPrefix")
            ? velocity(body.get("perPrefix"), "perPrefix")
            : current.perPrefix(),
        body.containsKey("perCountry")
            ? velocity(body.get("perCountry"), "perCountry")
            : current.perCountry(),
        body.containsKey("dailyGlobalBudget")
            ? budget(body.get("dailyGlobalBudget"))
            : current.dailyGlobalBudget(),
        body.containsKey("minConversionRate")
            ? rate(body.get("minConversionRate"))
            : current.minConversionRate(),
        body.containsKey("conversionMinVolume")
            ? (int) integer(body.get("conversionMinVolume"), "conversionMinVolume", 0, MAX_COUNT)
            : current.conversionMinVolume(),
        body.containsKey("conversionWindowSeconds")
            ? Duration.ofSeconds(
                integer(
                    body.get("conversionWindowSeconds"),
                    "conversionWindowSeconds",
                    60,
                    MAX_WINDOW_SECONDS))
            : current.conversionWindow(),
        body.containsKey("autoBlockSeconds")
            ? Duration.ofSeconds(
                integer(body.get("autoBlockSeconds"), "autoBlockSeconds", 60, MAX_WINDOW_SECONDS))
            : current.autoBlockDuration());
  }

  /** An operator's block: {@code {kind, value, reason?, until?}}. */
  record BlockRequest(SendPolicy.Kind kind, SendPolicy.Block block) {}

  static BlockRequest block(Map<String, Object> body, Instant now) {
    RuleRequests.only(body, Set.of("kind", "value", "reason", "until"), "");
    SendPolicy.Kind kind = kind(RuleRequests.text(body.get("kind"), "kind", 16, true));
    String value = destination(kind, RuleRequests.text(body.get("value"), "value", 32, true));
    String reason = RuleRequests.text(body.get("reason"), "reason", 40, false);
    if (reason == null) {
      reason = "operator";
    } else if (!REASON.matcher(reason).matches()) {
      throw HttpErrorException.invalid("reason must match ^[a-z0-9_]{1,40}$.");
    }
    Instant until = null;
    String untilText = RuleRequests.text(body.get("until"), "until", 64, false);
    if (untilText != null) {
      try {
        until = Instant.parse(untilText);
      } catch (java.time.format.DateTimeParseException e) {
        throw HttpErrorException.invalid(
            "until must be an ISO-8601 instant, like 2026-11-26T18:00:00Z.");
      }
      if (!until.isAfter(now)) {
        throw HttpErrorException.invalid("until must be in the future.");
      }
    }
    return new BlockRequest(kind, new SendPolicy.Block(value, reason, until, now));
  }

  static SendPolicy.Kind kind(String text) {
    return switch (text) {
      case "prefix" -> SendPolicy.Kind.PREFIX;
      case "country" -> SendPolicy.Kind.COUNTRY;
      default -> throw HttpErrorException.invalid("kind must be prefix or country.");
    };
  }

  /** A prefix ({@code +} and 5 to 13 digits) or an ISO 3166-1 alpha-2 region in capitals. */
  static String destination(SendPolicy.Kind kind, String value) {
    if (kind == SendPolicy.Kind.PREFIX) {
      if (!PREFIX.matcher(value).matches()) {
        throw HttpErrorException.invalid(
            "value must be a prefix: + and 5 to 13 digits, the number without its last four"
                + " digits (e.g. +44770090).");
      }
      return value;
    }
    if (!COUNTRIES.contains(value)) {
      throw HttpErrorException.invalid(
          "value must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB).");
    }
    return value;
  }

  private static List<String> countries(Object value) {
    if (!(value instanceof List<?> list)) {
      throw HttpErrorException.invalid("allowedCountries must be an array of region codes.");
    }
    if (list.size() > 300) {
      throw HttpErrorException.invalid("allowedCountries has more than 300 entries.");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String code) || !COUNTRIES.contains(code)) {
        throw HttpErrorException.invalid(
            "allowedCountries["
                + i
                + "] must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB).");
      }
      out.add(code);
    }
    return out;
  }

  private static boolean bool(Object value, String field) {
    if (!(value instanceof Boolean b)) {
      throw HttpErrorException.invalid(field + " must be a boolean.");
    }
    return b;
  }

  private static SendPolicy.Velocity velocity(Object value, String field) {
    if (!(value instanceof Map<?, ?> map)) {
      throw HttpErrorException.invalid(field + " must be an object {maxCount, windowSeconds}.");
    }
    RuleRequests.only(map, Set.of("maxCount", "windowSeconds"), field + ".");
    if (!map.containsKey("maxCount") || !map.containsKey("windowSeconds")) {
      throw HttpErrorException.invalid(field + " needs maxCount and windowSeconds.");
    }
    long max = integer(map.get("maxCount"), field + ".maxCount", 0, MAX_COUNT);
    long window =
        integer(map.get("windowSeconds"), field + ".windowSeconds", 1, MAX_WINDOW_SECONDS);
    return new SendPolicy.Velocity((int) max, Duration.ofSeconds(window));
  }

  private static Long budget(Object value) {
    if (value == null) {
      return null;
    }
    return integer(value, "dailyGlobalBudget", 1, 1_000_000_000);
  }

  private static double rate(Object value) {
    if (!(value instanceof Number n) || value instanceof BigInteger) {
      throw HttpErrorException.invalid("minConversionRate must be a number from 0 to 1.");
    }
    double rate = n.doubleValue();
    if (!(rate >= 0 && rate <= 1)) {
      throw HttpErrorException.invalid("minConversionRate must be a number from 0 to 1.");
    }
    return rate;
  }

  private static long integer(Object value, String field, long min, long max) {
    if (!(value instanceof Integer || value instanceof Long)) {
      throw HttpErrorException.invalid(
          field + " must be an integer from " + min + " to " + max + ".");
    }
    long v = ((Number) value).longValue();
    if (v < min || v > max) {
      throw HttpErrorException.invalid(
          field + " must be an integer from " + min + " to " + max + ".");
    }
    return v;
  }

  /** The JSON view of the policy; only blocks still in force are shown. */
}
