package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.web.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated partial update of user attributes. A field that is absent leaves the attribute
 * unchanged; a field present with JSON {@code null} clears it. Unknown fields (including ones that
 * look like server state, such as {@code isEnrolled} or {@code verified}) are dropped here so they
 * can never reach storage.
 */
public final class UserPatch {

  static final String EMAIL = "email";
  static final String EMAIL_VERIFIED = "emailVerified";
  static final String PHONE_NUMBER = "phoneNumber";
  static final String PHONE_NUMBER_VERIFIED = "phoneNumberVerified";
  static final String USERNAME = "username";
  static final String DISPLAY_NAME = "displayName";
  static final String CUSTOM = "custom";
  static final String LOCALE = "locale";

  static final int MAX_TEXT = 256;
  static final int MAX_EMAIL = 254;
  static final int MAX_CUSTOM_ENTRIES = 50;
  static final int MAX_CUSTOM_STRING = 1024;

  private static final Pattern EMAIL_SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,253}$");
  private static final Pattern LOCALE_SHAPE =
      Pattern.compile("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,6}$");
  // Keys become MongoDB field names: no '$' and no '.', which MongoDB would read as operators or
  // paths.
  private static final Pattern CUSTOM_KEY = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  private final Map<String, Object> values;
  private final PhoneNumber phone;

  private UserPatch(Map<String, Object> values, PhoneNumber phone) {
    this.values = Collections.unmodifiableMap(values);
    this.phone = phone;
  }

  /** An empty patch: applying it creates the user if unknown and changes nothing otherwise. */
  public static UserPatch none() {
    return new UserPatch(new LinkedHashMap<>(), null);
  }

  /**
   * Validates a JSON object body. Throws {@link ApiException} invalid_request naming the first bad
   * field.
   */
  public static UserPatch from(Map<String, Object> body) {
    if (body == null) {
      throw ApiException.invalid("The request body must be a JSON object.");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    PhoneNumber phone = null;
    if (body.containsKey(EMAIL)) {
      values.put(EMAIL, email(body.get(EMAIL)));
    }
    if (body.containsKey(EMAIL_VERIFIED)) {
      values.put(EMAIL_VERIFIED, flag(EMAIL_VERIFIED, body.get(EMAIL_VERIFIED)));
    }
    if (body.containsKey(PHONE_NUMBER)) {
      // Profile data: stored as given, normalised when it is an E.164 number (docs/api.md).
      Object raw = body.get(PHONE_NUMBER);
      String stored = null;
      if (raw != null) {
        if (!(raw instanceof String text)) {
          throw ApiException.invalid("phoneNumber must be a string or null.");
        }
        PhoneNumbers.Profile profile = PhoneNumbers.profile(text, PHONE_NUMBER);
        stored = profile.value();
        phone = profile.parsed();
      }
      values.put(PHONE_NUMBER, stored);
    }
    if (body.containsKey(PHONE_NUMBER_VERIFIED)) {
      values.put(
          PHONE_NUMBER_VERIFIED, flag(PHONE_NUMBER_VERIFIED, body.get(PHONE_NUMBER_VERIFIED)));
    }
    if (body.containsKey(USERNAME)) {
      values.put(USERNAME, text(USERNAME, body.get(USERNAME), MAX_TEXT));
    }
    if (body.containsKey(DISPLAY_NAME)) {
      values.put(DISPLAY_NAME, text(DISPLAY_NAME, body.get(DISPLAY_NAME), MAX_TEXT));
    }
    if (body.containsKey(CUSTOM)) {
      values.put(CUSTOM, custom(body.get(CUSTOM)));
    }
    if (body.containsKey(LOCALE)) {
      Object raw = body.get(LOCALE);
      String locale = text(LOCALE, raw, 35);
      if (locale != null && !LOCALE_SHAPE.matcher(locale).matches()) {
        throw ApiException.invalid("locale must be a BCP 47 language tag, e.g. en-GB.");
      }
      values.put(LOCALE, locale);
    }
    return new UserPatch(values, phone);
  }

  boolean has(String field) {
    return values.containsKey(field);
  }

  Object get(String field) {
    return values.get(field);
  }

  /**
   * The parsed phone number when the patch sets one that is a possible E.164 number, else null
   * (also for profile numbers kept as given, which can never become an authenticator).
   */
  PhoneNumber phone() {
    return phone;
  }

  /** Validates a search value for the same attribute (email or username) in a query string. */
  static String queryText(String field, String raw) {
    return EMAIL.equals(field) ? email(raw) : text(field, raw, MAX_TEXT);
  }

  private static String email(Object raw) {
    String value = text(EMAIL, raw, MAX_EMAIL);
    if (value != null && !EMAIL_SHAPE.matcher(value).matches()) {
      throw ApiException.invalid("email must be an email address.");
    }
    return value;
  }

  private static Boolean flag(String field, Object raw) {
    if (raw == null) {
      return Boolean.FALSE;
    }
    if (!(raw instanceof Boolean value)) {
      throw ApiException.invalid(field + " must be true or false.");
    }
    return value;
  }

  static String text(String field, Object raw, int max) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String value)) {
      throw ApiException.invalid(field + " must be a string or null.");
    }
    if (value.isEmpty() || value.length() > max) {
      throw ApiException.invalid(field + " must be 1 to " + max + " characters.");
    }
    if (!visible(value)) {
      throw ApiException.invalid(field + " must not contain control or invisible characters.");
    }
    return value;
  }

  /** No control characters, no invisible format marks (zero-width, bidi), no broken surrogates. */
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

  private static Map<String, Object> custom(Object raw) {
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
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      throw ApiException.invalid(
          "custom." + key + " must be a string, number, boolean or null, not an array or object.");
    }
    throw ApiException.invalid("custom." + key + " has an unsupported type.");
  }
}
