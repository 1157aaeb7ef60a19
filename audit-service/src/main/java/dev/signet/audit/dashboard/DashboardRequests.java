package dev.signet.audit.dashboard;

import java.util.regex.Pattern;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dashboard's endpoints share: the id patterns of their paths, JSON bodies read field by
 * field (so every wrong type gets its documented message), the limit parameter and the signed-in
 * operator's session.
 */
final class DashboardRequests {

  static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");
  static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final int MAX_LIMIT = 200;

  private DashboardRequests() {}

  /** The session of the signed-in operator (the chain lets no request here without one). */
  static Mono<OperatorSessions.Session> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(OperatorSessions.Operator.class::isInstance)
        .map(auth -> ((OperatorSessions.Operator) auth).session())
        .switchIfEmpty(Mono.error(DashboardException::unauthorized));
  }

  static JsonNode parse(JsonMapper json, String body) {
    if (body == null || body.isBlank()) {
      throw DashboardException.invalid("The request body must be a JSON object.");
    }
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw DashboardException.invalid("The request body must be a JSON object.");
      }
      return node;
    } catch (JacksonException e) {
      throw DashboardException.invalid("The request body is not valid JSON.");
    }
  }

  /** A string field, empty when absent; any other JSON type is refused. */
  static String text(JsonNode node, String field, int maxLength) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isString()) {
      throw DashboardException.invalid(field + " must be a string.");
    }
    String text = value.asString();
    if (text.length() > maxLength) {
      throw DashboardException.invalid(field + " is too long (at most " + maxLength + ").");
    }
    return text;
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
