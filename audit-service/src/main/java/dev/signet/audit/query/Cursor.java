package dev.signet.audit.query;

import dev.signet.platform.web.HttpErrorException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The position after the last item of a page: its sort time and id, for one kind of list. Opaque to
 * callers (base64url); a cursor that does not decode, or belongs to another list, is refused with
 * 400 rather than silently restarting the list.
 */
record Cursor(String kind, Instant at, String id) {

  private static final int MAX_LENGTH = 1024;

  String encode() {
    String raw = kind + "\n" + at.toEpochMilli() + "\n" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String kind, String value) {
    if (value.length() > MAX_LENGTH) {
      throw invalid();
    }
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] parts = raw.split("\n", -1);
    if (parts.length != 3 || !parts[0].equals(kind) || parts[2].isEmpty()) {
      throw invalid();
    }
    long millis;
    try {
      millis = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    if (millis < 0 || millis > 253_402_300_799_999L) {
      throw invalid();
    }
    return new Cursor(kind, Instant.ofEpochMilli(millis), parts[2]);
  }

  private static HttpErrorException invalid() {
    return HttpErrorException.invalid(
        "cursor is not valid: pass the nextCursor of a previous page of the same list unchanged.");
  }
}
