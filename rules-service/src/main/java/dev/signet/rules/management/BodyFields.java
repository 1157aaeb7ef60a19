package dev.signet.rules.management;

import dev.signet.platform.web.HttpErrorException;
import dev.signet.platform.web.JsonMismatch;
import dev.signet.platform.web.StrictJson;
import dev.signet.rules.evaluation.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks of the management API's request records beyond their JSON types (which strict binding
 * refuses, {@link JsonMismatch}): lengths, ranges, choices and unknown fields. A member the records
 * hold as a {@link JsonNode} is one whose type error has a documented text of its own that names a
 * range (Jackson would truncate {@code 1.5} into an {@code Integer} and refuse {@code 9999999999}
 * with a parser error), or whose absence ({@code null}) means something else than a JSON {@code
 * null}. Every refusal is a {@code 400 invalid_request} naming the field.
 */
final class BodyFields {

  static final int MAX_PRIORITY = 1_000_000;
  static final String OUTCOMES = " must be one of ALLOW, BLOCK, CHALLENGE, REVIEW.";

  /** The services' binding rules, for members bound after the body was read (candidate rules). */
  private static final JsonMapper STRICT = StrictJson.configure(JsonMapper.builder()).build();

  private BodyFields() {}

  /** Refuses the first field a record did not declare ({@code prefix} names its parent). */
  static void known(Map<String, JsonNode> unknown, String prefix) {
    if (unknown != null && !unknown.isEmpty()) {
      String key = unknown.keySet().iterator().next();
      String shown = key.length() > 40 ? key.substring(0, 40) + "…" : key;
      throw HttpErrorException.invalid(prefix + shown + " is not a known field.");
    }
  }

  /**
   * A JSON object read as {@code type}, or the refusal {@code notAnObject}; a member of the wrong
   * type is refused as the request body's would be, named from {@code value}.
   */
  static <T> T object(JsonNode value, Class<T> type, String notAnObject) {
    if (value == null || !value.isObject()) {
      throw HttpErrorException.invalid(notAnObject);
    }
    try {
      return STRICT.treeToValue(value, type);
    } catch (JacksonException e) {
      throw HttpErrorException.invalid(
          JsonMismatch.describe(e, "The request body is not valid JSON for this endpoint."));
    }
  }

  static boolean absent(JsonNode value) {
    return value == null || value.isNull();
  }

  static String text(String s, String field, int max, boolean required) {
    if (s == null) {
      if (required) {
        throw HttpErrorException.invalid(field + " is required.");
      }
      return null;
    }
    if (required && s.isBlank()) {
      throw HttpErrorException.invalid(field + " must not be blank.");
    }
    if (s.length() > max) {
      throw HttpErrorException.invalid(field + " is longer than " + max + " characters.");
    }
    return s;
  }

  static Integer priority(JsonNode value) {
    if (absent(value)) {
      return null;
    }
    if (!value.isInt() || value.intValue() < 0 || value.intValue() > MAX_PRIORITY) {
      throw HttpErrorException.invalid(
          "priority must be an integer from 0 to " + MAX_PRIORITY + ".");
    }
    return value.intValue();
  }

  static Outcome outcome(String value, String field, boolean required) {
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
    throw HttpErrorException.invalid(field + OUTCOMES);
  }

  /** A whole number that fits a {@code long} (a JSON {@code 2.0} is not one). */
  static long integer(JsonNode value, String field, long min, long max) {
    if (value == null
        || !(value.isInt() || value.isLong())
        || value.longValue() < min
        || value.longValue() > max) {
      throw HttpErrorException.invalid(
          field + " must be an integer from " + min + " to " + max + ".");
    }
    return value.longValue();
  }

  /**
   * The plain Java tree ({@code Map}, {@code List}, {@code String}, {@code Integer}/{@code
   * Long}/{@code BigInteger}/{@code Double}, {@code Boolean}, {@code null}) of a JSON value: the
   * shape in which conditions are read and stored. Nesting is bounded by the parser's depth limit.
   */
  static Object plain(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>(value.size());
      value.values().forEach(v -> list.add(plain(v)));
      return list;
    }
    if (value.isString()) {
      return value.stringValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value.numberValue();
  }
}
