package dev.signet.audit.query;

import dev.signet.platform.web.HttpErrorException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * Strict reading of query parameters: only the names a route documents, each at most once, at most
 * {@value #MAX_VALUE_LENGTH} characters without control characters, enums from their lists, times
 * as ISO-8601 instants, page sizes capped. Values are only ever used as literal strings in equality
 * filters, so {@code userId[$ne]=x} (an unknown name) and {@code userId={"$ne":null}} (a literal
 * that matches nothing) cannot become query operators.
 */
final class QueryParams {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;
  static final int MAX_VALUE_LENGTH = 256;

  private final MultiValueMap<String, String> raw;

  private QueryParams(MultiValueMap<String, String> raw) {
    this.raw = raw;
  }

  static QueryParams of(MultiValueMap<String, String> raw, Set<String> allowed) {
    for (String name : raw.keySet()) {
      if (!allowed.contains(name)) {
        throw HttpErrorException.invalid(
            "Unknown query parameter '"
                + printable(name)
                + "'. Allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ".");
      }
      List<String> values = raw.get(name);
      if (values != null && values.size() > 1) {
        throw HttpErrorException.invalid("Query parameter '" + name + "' may be given only once.");
      }
      String value = values == null || values.isEmpty() ? null : values.get(0);
      if (value != null) {
        if (value.length() > MAX_VALUE_LENGTH) {
          throw HttpErrorException.invalid(
              "Query parameter '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters.");
        }
        for (int i = 0; i < value.length(); i++) {
          if (Character.isISOControl(value.charAt(i))) {
            throw HttpErrorException.invalid(
                "Query parameter '" + name + "' contains control characters.");
          }
        }
      }
    }
    return new QueryParams(raw);
  }

  /** The value, or null when absent or empty. */
  String text(String name) {
    String value = raw.getFirst(name);
    return value == null || value.isEmpty() ? null : value;
  }

  String oneOf(String name, List<String> allowed) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    if (!allowed.contains(value)) {
      throw HttpErrorException.invalid(
          "Query parameter '" + name + "' must be one of " + String.join(", ", allowed) + ".");
    }
    return value;
  }

  Instant instant(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw HttpErrorException.invalid(
          "Query parameter '"
              + name
              + "' must be an ISO-8601 date-time with offset, such as 2026-11-25T20:00:00Z.");
    }
  }

  /** The page size: default {@value #DEFAULT_LIMIT}; larger than {@value #MAX_LIMIT} is capped. */
  int limit() {
    String value = text("limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    if (!value.matches("[0-9]{1,9}")) {
      if (value.matches("[0-9]+")) {
        return MAX_LIMIT;
      }
      throw HttpErrorException.invalid("Query parameter 'limit' must be a positive integer.");
    }
    int limit = Integer.parseInt(value);
    if (limit < 1) {
      throw HttpErrorException.invalid("Query parameter 'limit' must be a positive integer.");
    }
    return Math.min(limit, MAX_LIMIT);
  }

  Cursor cursor(String kind) {
    String value = text("cursor");
    return value == null ? null : Cursor.decode(kind, value);
  }

  static void checkRange(Instant from, Instant to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw HttpErrorException.invalid("'from' must not be after 'to'.");
    }
  }

  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      out.append(Character.isISOControl(c) ? '?' : c);
      if (out.length() >= 64) {
        out.append("...");
        break;
      }
    }
    return out.toString();
  }
}
