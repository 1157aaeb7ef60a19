package dev.signet.audit.dashboard;

import dev.signet.platform.web.JsonMismatch;
import java.util.regex.Pattern;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dashboard's endpoints share: the id patterns of their paths, JSON bodies read into
 * request records (so every wrong type gets its documented message), the limit parameter and the
 * signed-in operator's session.
 */
final class DashboardRequests {

  static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");
  static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final int MAX_LIMIT = 200;
  private static final String NOT_AN_OBJECT = "The request body must be a JSON object.";

  private DashboardRequests() {}

  /** The session of the signed-in operator (the chain lets no request here without one). */
  static Mono<OperatorSessions.Session> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(OperatorSessions.Operator.class::isInstance)
        .map(auth -> ((OperatorSessions.Operator) auth).session())
        .switchIfEmpty(Mono.error(DashboardException::unauthorized));
  }

  /**
   * The body read as {@code type}: a JSON object, without any of the {@code refused} members
   * ({@code <member> cannot be sent: <why>}, whatever its value: the operator is always the
   * session's), every member of its declared JSON type (strict binding names the first that is not,
   * {@link JsonMismatch}). Members the record does not declare are ignored.
   */
  static <T> T read(JsonMapper json, String body, Class<T> type, String why, String... refused) {
    JsonNode node = object(json, body);
    for (String member : refused) {
      if (node.has(member)) {
        throw DashboardException.invalid(member + " cannot be sent: " + why);
      }
    }
    try {
      return json.treeToValue(node, type);
    } catch (JacksonException e) {
      throw DashboardException.invalid(
          JsonMismatch.describe(e, "The request body is not valid JSON."));
    }
  }

  /** The body as a JSON object, or the documented refusal. */
  static JsonNode object(JsonMapper json, String body) {
    if (body == null || body.isBlank()) {
      throw DashboardException.invalid(NOT_AN_OBJECT);
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JacksonException e) {
      throw DashboardException.invalid("The request body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw DashboardException.invalid(NOT_AN_OBJECT);
    }
    return node;
  }

  /** A text member, empty when absent, refused over {@code maxLength}. */
  static String text(String value, String field, int maxLength) {
    if (value == null) {
      return "";
    }
    if (value.length() > maxLength) {
      throw DashboardException.invalid(field + " is too long (at most " + maxLength + ").");
    }
    return value;
  }

  static int limit(String raw) {
    if (raw == null || raw.isEmpty()) {
      return 50;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw DashboardException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
  }
}
