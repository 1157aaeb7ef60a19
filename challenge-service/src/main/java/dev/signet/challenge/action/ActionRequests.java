package dev.signet.challenge.action;

import dev.signet.challenge.user.UserPatch;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Fields;
import dev.signet.platform.web.MismatchText;
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
    if (value == null || !Fields.URL_SAFE_ID.matcher(value).matches()) {
      throw ApiException.invalid("userId must be 1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -).");
    }
    return value;
  }

  static String actionCode(String value) {
    if (value == null || !Fields.ACTION_CODE.matcher(value).matches()) {
      throw ApiException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    return value;
  }

  static String idempotencyKey(String value) {
    if (value == null || !Fields.URL_SAFE_ID.matcher(value).matches()) {
      throw ApiException.invalid(
          "idempotencyKey must be 1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -).");
    }
    return value;
  }

  /**
   * The body of a track call. {@code custom} is free-form by contract (checked to hold primitives
   * only); {@code email}, {@code phoneNumber} and {@code username} are the user's attributes,
   * applied when track creates the user and refused like {@code PATCH /v1/users} refuses them.
   */
  record TrackRequest(
      String idempotencyKey,
      String ipAddress,
      String userAgent,
      String deviceId,
      String scope,
      @MismatchText(CUSTOM_SHAPE) Map<String, Object> custom,
      String locale,
      String redirectUrl,
      @MismatchText("email must be a string or null.") String email,
      @MismatchText("phoneNumber must be a string or null.") String phoneNumber,
      @MismatchText("username must be a string or null.") String username) {

    static final TrackRequest EMPTY =
        new TrackRequest(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The body of a state change; the text names every state, as {@link #state} does. */
  record StateChange(@MismatchText(STATE_ONE_OF) String state) {}

  static final String CUSTOM_SHAPE = "custom must be a JSON object of primitive values.";

  static final String STATE_ONE_OF =
      "state must be one of [ALLOW, BLOCK, CHALLENGE_REQUIRED, CHALLENGE_SUCCEEDED,"
          + " CHALLENGE_FAILED, REVIEW_REQUIRED, REVIEW_SUCCEEDED, REVIEW_FAILED].";

  static TrackCommand track(
      String userId, String actionCode, TrackRequest body, String correlationId) {
    TrackRequest attributes = body == null ? TrackRequest.EMPTY : body;
    String key = Fields.id(attributes.idempotencyKey(), "idempotencyKey", false);
    String ipAddress = text(attributes.ipAddress(), "ipAddress", 64);
    if (ipAddress != null
        && !IPV4.matcher(ipAddress).matches()
        && !IPV6.matcher(ipAddress).matches()) {
      throw ApiException.invalid("ipAddress must be an IPv4 or IPv6 address.");
    }
    String userAgent = text(attributes.userAgent(), "userAgent", 1024);
    String deviceId = text(attributes.deviceId(), "deviceId", 256);
    String scope = scope(attributes.scope());
    Map<String, Object> custom = custom(attributes.custom());
    String locale = text(attributes.locale(), "locale", 35);
    if (locale != null && !LOCALE_SHAPE.matcher(locale).matches()) {
      throw ApiException.invalid("locale must be a BCP 47 language tag, e.g. en-GB.");
    }
    String redirectUrl = redirectUrl(attributes.redirectUrl());
    // Attributes of the user, applied when track creates the user; validated like PATCH /users.
    Map<String, Object> userAttributes = new LinkedHashMap<>();
    putIfSet(userAttributes, "email", attributes.email());
    putIfSet(userAttributes, "phoneNumber", attributes.phoneNumber());
    putIfSet(userAttributes, "username", attributes.username());
    putIfSet(userAttributes, "locale", locale);
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

  private static void putIfSet(Map<String, Object> attributes, String field, String value) {
    if (value != null) {
      attributes.put(field, value);
    }
  }

  /** Space-separated scopes, each one known; duplicates dropped, order kept. */
  static String scope(String raw) {
    String text = Fields.optional(raw, "scope", 512);
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

  static Map<String, Object> custom(Map<String, Object> map) {
    if (map == null) {
      return Map.of();
    }
    if (map.size() > MAX_CUSTOM_ENTRIES) {
      throw ApiException.invalid("custom may hold at most " + MAX_CUSTOM_ENTRIES + " entries.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      String key = entry.getKey();
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

  private static String redirectUrl(String raw) {
    String url = Fields.optional(raw, "redirectUrl", 2048);
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

  static ActionState state(String text, String field) {
    return ActionState.parse(text)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    field + " must be one of " + List.of(ActionState.values()) + "."));
  }

  private static String text(String raw, String field, int max) {
    String text = Fields.optional(raw, field, max);
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
