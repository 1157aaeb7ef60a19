package dev.signet.challenge.web;

import java.util.regex.Pattern;

/**
 * Checks on the text members of request records, after binding has made sure each is a JSON string
 * (platform's strict JSON refuses a number, array or object where a string goes). Every refusal is
 * an {@link ApiException} {@code invalid_request} naming the field.
 */
public final class Fields {

  /** Ids in paths and bodies: URL-safe characters only. */
  public static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");

  /** Action codes, docs/api.md. */
  public static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  private Fields() {}

  /** The value, {@code null} when absent; longer than {@code maxLength} is refused. */
  public static String optional(String value, String field, int maxLength) {
    if (value != null && value.length() > maxLength) {
      throw ApiException.invalid(field + " is too long.");
    }
    return value;
  }

  /** As {@link #optional}, and absent or empty is refused. */
  public static String required(String value, String field, int maxLength) {
    String text = optional(value, field, maxLength);
    if (text == null || text.isEmpty()) {
      throw ApiException.invalid(field + " is required.");
    }
    return text;
  }

  /** An id of 1-128 URL-safe characters; {@code null} when absent and not required. */
  public static String id(String value, String field, boolean required) {
    String text = required ? required(value, field, 128) : optional(value, field, 128);
    if (text != null && !URL_SAFE_ID.matcher(text).matches()) {
      throw ApiException.invalid(field + " must be 1-128 URL-safe characters.");
    }
    return text;
  }
}
