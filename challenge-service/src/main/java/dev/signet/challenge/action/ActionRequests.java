package dev.signet.challenge.action;

import dev.signet.challenge.user.UserPatch;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of the action endpoints' input: path ids, the track body, the query parameters. Every
 * refusal is an {@link ApiException} {@code invalid_request} naming the field.
 */
final class ActionRequests {

  /** Scopes a client token may carry (the ones the official SDKs know). */
  static final Set<String> KNOWN_SCOPES =
      Set.of(
          "read:authenticators",
          "add:authenticators",
          "update:authenticators",
          "remove:authenticators");

  static final int MAX_CUSTOM_ENTRIES = 50;
  static final int MAX_CUSTOM_STRING = 1024;
  static final int MAX_LIST = 100;

  private static final Pattern CUSTOM_KEY = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern LOCALE_SHAPE =
      Pattern.compile("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$");
  private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
  private static final Pattern IPV6 = Pattern.compile("^(?=.*:)[0-9A-Fa-f:.]{2,45}$");

  private ActionRequests() {}

  static String userId(String value) {
    if (value == null || !Json.URL_SAFE_ID.matcher(value).matches()) {
      throw ApiException.invalid("userId must be 1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -).");
    }
    return value;
  }

  static String actionCode(String value) {
    if (value == null || !Json.ACTION_CODE.matcher(value).matches()) {
      throw ApiException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    return value;
  }

  static String idempotencyKey(String value) {
    if (value == null || !Json.URL_SAFE_ID.matcher(value).matches()) {
      throw ApiException.invalid(
          "idempotencyKey must be 1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -).");
    }
    return value;
  }

  static TrackCommand track(
      String userId, String actionCode, Map<String, Object> body, String correlationId) {
    Map<String, Object> attributes = body == null ? Map.of() : body;
    String key = Json.id(attributes.get("idempotencyKey"), "idempotencyKey", false);
    String ipAddress = text(attributes.get("ipAddress"), "ipAddress", 64);
    if (ipAddress != null
        && !IPV4.matcher(ipAddress).matches()
        && !IPV6.matcher(ipAddress).matches()) {
      throw ApiException.invalid("ipAddress must be an IPv4 or IPv6 address.");
    }
    String userAgent = text(attributes.get("userAgent"), "userAgent", 1024);
    String deviceId = text(attributes.get("deviceId"), "deviceId", 256);
    String scope = scope(attributes.get("scope"));
    Map<String, Object> custom = custom(attributes.get("custom"));
    String locale = text(attributes.get("locale"), "locale", 35);
    if (locale != null && !LOCALE_SHAPE.matcher(locale).matches()) {
      throw ApiException.invalid("locale must be a BCP 47 language tag, e.g. en-GB.");
    }
    String redirectUrl = redirectUrl(attributes.get("redirectUrl"));
    // Attributes of the user, applied when track creates the user; validated like PATCH /users.
    Map<String, Object> userAttributes = new LinkedHashMap<>();
    for (String field : List.of("email", "phoneNumber", "username")) {
      if (attributes.get(field) != null) {
        userAttributes.put(field, attributes.get(field));
      }
    }
    if (locale != null) {
      userAttributes.put("locale", locale);
    }
    UserPatch newUser = UserPatch.from(userAttributes);
    return new TrackCommand(
        userId,
        actionCode,
        key,
        ipAddress,
        userAgent,
        deviceId,
        scope,
        custom,
        locale,
        newUser,
        correlationId,
        redirectUrl);
  }

  /** Space-separated scopes, each one known; duplicates dropped, order kept. */
  static String scope(Object raw) {
    String text = Json.optionalString(raw, "scope", 512);
    if (text == null || text.isBlank()) {
      return "";
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : text.trim().split(" +")) {
      if (!KNOWN_SCOPES.contains(scope)) {
        throw ApiException.invalid(
            "scope holds an unknown scope; known scopes: add:authenticators,"
                + " update:authenticators, remove:authenticators, read:authenticators.");
      }
      scopes.add(scope);
    }
    return String.join(" ", scopes);
  }

  static Map<String, Object> custom(Object raw) {
    if (raw == null) {
      return Map.of();
    }
    if (!(raw instanceof Map<?, ?> map)) {
      throw ApiException.invalid("custom must be a JSON object of primitive values.");
    }
    if (map.size() > MAX_CUSTOM_ENTRIES) {
      throw ApiException.invalid("custom may hold at most " + MAX_CUSTOM_ENTRIES + " entries.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (!CUSTOM_KEY.matcher(key).matches()) {
        throw ApiException.invalid("custom keys must match ^[A-Za-z0-9_-]{1,64}$.");
      }
      out.put(key, primitive(key, entry.getValue()));
    }
    return out;
  }

  private static Object primitive(String key, Object value) {
    if (value == null || value instanceof Boolean) {
      return value;
    }
    if (value instanceof String text) {
      if (text.length() > MAX_CUSTOM_STRING || !visible(text)) {
        throw ApiException.invalid(
            "custom." + key + " must be at most " + MAX_CUSTOM_STRING + " visible characters.");
      }
      return text;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw ApiException.invalid("custom." + key + " must be a finite number.");
      }
      return d;
    }
    if (value instanceof BigInteger || value instanceof BigDecimal) {
      throw ApiException.invalid("custom." + key + " is out of range.");
    }
    throw ApiException.invalid(
        "custom." + key + " must be a string, number, boolean or null, not an array or object.");
  }

  private static String redirectUrl(Object raw) {
    String url = Json.optionalString(raw, "redirectUrl", 2048);
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
          || uri.getHost() == null) {
        throw ApiException.invalid("redirectUrl must be an absolute http(s) URL.");
      }
    } catch (URISyntaxException e) {
      throw ApiException.invalid("redirectUrl must be an absolute http(s) URL.");
    }
    return url;
  }

  /** {@code fromDate}: an ISO-8601 instant or offset date-time, or a date (midnight UTC). */
  static Instant fromDate(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.length() > 40) {
      throw ApiException.invalid("fromDate must be an ISO-8601 date or date-time.");
    }
    try {
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(raw).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw ApiException.invalid("fromDate must be an ISO-8601 date or date-time.");
      }
    }
  }

  /** {@code codes}: comma-separated action codes. */
  static List<String> codes(String raw) {
    if (raw == null || raw.isEmpty()) {
      return List.of();
    }
    List<String> codes = new ArrayList<>();
    for (String code : raw.split(",", -1)) {
      codes.add(actionCode(code));
      if (codes.size() > MAX_LIST) {
        throw ApiException.invalid("codes may name at most " + MAX_LIST + " action codes.");
      }
    }
    return codes;
  }

  static ActionState state(Object raw, String field) {
    if (!(raw instanceof String text)) {
      throw ApiException.invalid(field + " must be one of " + List.of(ActionState.values()) + ".");
    }
    return ActionState.parse(text)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    field + " must be one of " + List.of(ActionState.values()) + "."));
  }

  private static String text(Object raw, String field, int max) {
    String text = Json.optionalString(raw, field, max);
    if (text != null && (text.isEmpty() || !visible(text))) {
      throw ApiException.invalid(field + " must be 1 to " + max + " visible characters.");
    }
    return text;
  }

  static boolean visible(String value) {
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }
}
