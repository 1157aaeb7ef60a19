package dev.signet.rules.management;

import static dev.signet.rules.management.BodyFields.integer;
import static dev.signet.rules.management.BodyFields.known;
import static dev.signet.rules.management.BodyFields.text;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.policy.SendPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The send-policy management API's request bodies, each read into its domain value in one place:
 * unknown fields, wrong types and out-of-range values are refused with the field named, never
 * coerced (see {@link BodyFields}).
 */
final class SendPolicyRequests {

  static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  static final Pattern PREFIX = Pattern.compile("^\\+[1-9][0-9]{4,12}$");
  static final Pattern REASON = Pattern.compile("^[a-z0-9_]{1,40}$");
  static final int MAX_WINDOW_SECONDS = (int) Duration.ofDays(30).toSeconds();
  static final int MAX_COUNT = 100_000_000;

  /**
   * The settings of a PUT (every field required) or a PATCH (at least one; the rest kept). Each
   * field has three states: absent (kept, or missing in a PUT), JSON {@code null} (only {@code
   * dailyGlobalBudget} takes it: unlimited) and a value.
   */
  record SettingsBody(
      JsonNode allowedCountries,
      JsonNode shadowMode,
      JsonNode perNumber,
      JsonNode perPrefix,
      JsonNode perCountry,
      JsonNode dailyGlobalBudget,
      JsonNode minConversionRate,
      JsonNode conversionMinVolume,
      JsonNode conversionWindowSeconds,
      JsonNode autoBlockSeconds,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    SendPolicy.Settings toSettings(SendPolicy.Settings current, boolean replace) {
      known(unknown, "");
      Map<String, JsonNode> given = given();
      if (replace) {
        given.forEach(
            (field, value) -> {
              if (value == null) {
                throw HttpErrorException.invalid(
                    field + " is required (PUT replaces every setting; PATCH changes some).");
              }
            });
      } else if (given.values().stream().allMatch(v -> v == null)) {
        throw HttpErrorException.invalid("Send at least one setting to change.");
      }
      return new SendPolicy.Settings(
          read(allowedCountries, SendPolicyRequests::countries, current.allowedCountries()),
          read(shadowMode, v -> bool(v, "shadowMode"), current.shadowMode()),
          read(perNumber, v -> velocity(v, "perNumber"), current.perNumber()),
          read(perPrefix, v -> velocity(v, "perPrefix"), current.perPrefix()),
          read(perCountry, v -> velocity(v, "perCountry"), current.perCountry()),
          read(dailyGlobalBudget, SendPolicyRequests::budget, current.dailyGlobalBudget()),
          read(minConversionRate, SendPolicyRequests::rate, current.minConversionRate()),
          read(
              conversionMinVolume,
              v -> (int) integer(v, "conversionMinVolume", 0, MAX_COUNT),
              current.conversionMinVolume()),
          read(
              conversionWindowSeconds,
              v -> seconds(v, "conversionWindowSeconds", 60),
              current.conversionWindow()),
          read(
              autoBlockSeconds,
              v -> seconds(v, "autoBlockSeconds", 60),
              current.autoBlockDuration()));
    }

    /** The settings by name, in the documented order. */
    private Map<String, JsonNode> given() {
      Map<String, JsonNode> given = new LinkedHashMap<>();
      given.put("allowedCountries", allowedCountries);
      given.put("shadowMode", shadowMode);
      given.put("perNumber", perNumber);
      given.put("perPrefix", perPrefix);
      given.put("perCountry", perCountry);
      given.put("dailyGlobalBudget", dailyGlobalBudget);
      given.put("minConversionRate", minConversionRate);
      given.put("conversionMinVolume", conversionMinVolume);
      given.put("conversionWindowSeconds", conversionWindowSeconds);
      given.put("autoBlockSeconds", autoBlockSeconds);
      return given;
    }

    private static <T> T read(JsonNode value, Function<JsonNode, T> reader, T current) {
      return value == null ? current : reader.apply(value);
    }
  }

  /** A velocity limit: {@code {maxCount, windowSeconds}}. */
  record VelocityBody(
      JsonNode maxCount, JsonNode windowSeconds, @JsonAnySetter Map<String, JsonNode> unknown) {}

  /** An operator's block: {@code {kind, value, reason?, until?}}. */
  record BlockBody(
      String kind,
      String value,
      String reason,
      String until,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    BlockRequest toBlock(Instant now) {
      known(unknown, "");
      SendPolicy.Kind kind = SendPolicyRequests.kind(text(this.kind, "kind", 16, true));
      String value = destination(kind, text(this.value, "value", 32, true));
      String reason = text(this.reason, "reason", 40, false);
      if (reason == null) {
        reason = "operator";
      } else if (!REASON.matcher(reason).matches()) {
        throw HttpErrorException.invalid("reason must match ^[a-z0-9_]{1,40}$.");
      }
      Instant until = null;
      String untilText = text(this.until, "until", 64, false);
      if (untilText != null) {
        try {
          until = Instant.parse(untilText);
        } catch (DateTimeParseException e) {
          throw HttpErrorException.invalid(
              "until must be an ISO-8601 instant, like 2026-11-26T18:00:00Z.");
        }
        if (!until.isAfter(now)) {
          throw HttpErrorException.invalid("until must be in the future.");
        }
      }
      return new BlockRequest(kind, new SendPolicy.Block(value, reason, until, now));
    }
  }

  /** A block to add to the policy's list of its kind. */
  record BlockRequest(SendPolicy.Kind kind, SendPolicy.Block block) {}

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

  private static List<String> countries(JsonNode value) {
    if (!value.isArray()) {
      throw HttpErrorException.invalid("allowedCountries must be an array of region codes.");
    }
    if (value.size() > 300) {
      throw HttpErrorException.invalid("allowedCountries has more than 300 entries.");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode code = value.get(i);
      if (!code.isString() || !COUNTRIES.contains(code.stringValue())) {
        throw HttpErrorException.invalid(
            "allowedCountries["
                + i
                + "] must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB).");
      }
      out.add(code.stringValue());
    }
    return out;
  }

  private static boolean bool(JsonNode value, String field) {
    if (!value.isBoolean()) {
      throw HttpErrorException.invalid(field + " must be a boolean.");
    }
    return value.booleanValue();
  }

  private static SendPolicy.Velocity velocity(JsonNode value, String field) {
    VelocityBody body =
        BodyFields.object(
            value, VelocityBody.class, field + " must be an object {maxCount, windowSeconds}.");
    known(body.unknown(), field + ".");
    if (body.maxCount() == null || body.windowSeconds() == null) {
      throw HttpErrorException.invalid(field + " needs maxCount and windowSeconds.");
    }
    long max = integer(body.maxCount(), field + ".maxCount", 0, MAX_COUNT);
    long window = integer(body.windowSeconds(), field + ".windowSeconds", 1, MAX_WINDOW_SECONDS);
    return new SendPolicy.Velocity((int) max, Duration.ofSeconds(window));
  }

  private static Duration seconds(JsonNode value, String field, long min) {
    return Duration.ofSeconds(integer(value, field, min, MAX_WINDOW_SECONDS));
  }

  private static Long budget(JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    return integer(value, "dailyGlobalBudget", 1, 1_000_000_000);
  }

  private static double rate(JsonNode value) {
    if (!value.isNumber() || value.isBigInteger() || value.isBigDecimal()) {
      throw HttpErrorException.invalid("minConversionRate must be a number from 0 to 1.");
    }
    double rate = value.doubleValue();
    if (!(rate >= 0 && rate <= 1)) {
      throw HttpErrorException.invalid("minConversionRate must be a number from 0 to 1.");
    }
    return rate;
  }

  private SendPolicyRequests() {}
}
