package dev.signet.challenge.web;

import java.util.regex.Pattern;

/**
 * Type checks for request fields bound as {@code Object}: a phone number or a code sent as a JSON
 * number, array or object is refused instead of being coerced (a number loses leading zeros).
 */
public final class Json {

  /** Ids in paths and bodies: URL-safe characters only. */
  public static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");

  /** Action codes, docs/api.md. */
  public static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  private Json() {}

  /** The value as a string, {@code null} when absent; anything but a JSON string is refused. */
  public static String optionalString(Object value, String field, int maxLength) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiException.invalid(field + " must be a string.");
    }
    if (text.length() > maxLength) {
      throw ApiException.invalid(field + " is too long.");
    }
    return text;
  }

  public static String requiredString(Object value, String field, int maxLength) {
    String text = optionalString(value, field, maxLength);
    if (text == null || text.isEmpty()) {
      throw ApiException.invalid(field + " is required.");
    }
    return text;
  }

  public static String id(Object value, String field, boolean required) {
    String text = required ? requiredString(value, field, 128) : optionalString(value, field, 128);
    if (text != null && !URL_SAFE_ID.matcher(text).matches()) {
      throw ApiException.invalid(field + " must be 1-128 URL-safe characters.");
    }
    return text;
  }

  public static boolean flag(Object value, String field) {
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean flag)) {
      throw ApiException.invalid(field + " must be a boolean.");
    }
    return flag;
  }
}
