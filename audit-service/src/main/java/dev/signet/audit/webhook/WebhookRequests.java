package dev.signet.audit.webhook;

import dev.signet.audit.dashboard.OperatorSessions;
import dev.signet.audit.webhook.domain.EventTypes;
import dev.signet.platform.web.HttpErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checks of the webhook management API's requests: JSON bodies with known fields only, query
 * parameters given once, ids in their documented shape (anything else reads as not found), and who
 * made a change (an operator or the management secret).
 */
final class WebhookRequests {

  private static final Pattern ENDPOINT_ID = Pattern.compile("^wh_[0-9a-f]{20}$");
  private static final Pattern DELIVERY_ID = Pattern.compile("^dlv_[0-9a-f]{32}$");
  private static final int MAX_DESCRIPTION = 200;
  private static final int MAX_EVENT_TYPES = 50;

  private WebhookRequests() {}

  static Mono<String> operator() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .map(WebhookRequests::who)
        .defaultIfEmpty("management");
  }

  private static String who(Authentication auth) {
    boolean operator =
        auth.getAuthorities().stream()
            .anyMatch(a -> OperatorSessions.AUTHORITY.equals(a.getAuthority()));
    return operator ? "operator:" + auth.getName() : "management";
  }

  static JsonNode parse(JsonMapper json, String body, Set<String> fields) {
    if (body == null || body.isBlank()) {
      throw HttpErrorException.invalid("The request body must be a JSON object.");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JacksonException e) {
      throw HttpErrorException.invalid("The request body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw HttpErrorException.invalid("The request body must be a JSON object.");
    }
    for (String name : node.propertyNames()) {
      if (!fields.contains(name)) {
        throw HttpErrorException.invalid(
            "Unknown field '"
                + (name.length() > 64 ? name.substring(0, 64) : name)
                + "'. Allowed: "
                + String.join(", ", fields.stream().sorted().toList())
                + ".");
      }
    }
    return node;
  }

  static String text(JsonNode node, String field, int max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw HttpErrorException.invalid(field + " must be a string.");
    }
    String text = value.asString();
    if (text.length() > max) {
      throw HttpErrorException.invalid(field + " must be at most " + max + " characters.");
    }
    return text;
  }

  static String description(JsonNode node) {
    String description = text(node, "description", MAX_DESCRIPTION);
    if (description != null && description.chars().anyMatch(Character::isISOControl)) {
      throw HttpErrorException.invalid("description must not contain control characters.");
    }
    return description == null ? null : description.strip();
  }

  static Boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw HttpErrorException.invalid(field + " must be true or false.");
    }
    return value.asBoolean();
  }

  static List<String> eventTypes(JsonNode node, boolean required) {
    JsonNode value = node.get("eventTypes");
    if (value == null || value.isNull()) {
      if (required) {
        throw HttpErrorException.invalid(
            "eventTypes is required: a list of activity types, or [\"*\"] for all.");
      }
      return null;
    }
    if (!value.isArray() || value.size() > MAX_EVENT_TYPES) {
      throw HttpErrorException.invalid(
          "eventTypes must be a list of at most " + MAX_EVENT_TYPES + " activity types.");
    }
    List<String> types = new ArrayList<>();
    for (JsonNode type : value) {
      if (!type.isString()) {
        throw HttpErrorException.invalid("eventTypes must hold strings.");
      }
      types.add(type.asString());
    }
    try {
      return EventTypes.parse(types);
    } catch (IllegalArgumentException e) {
      throw HttpErrorException.invalid(e.getMessage());
    }
  }

  static void noParams(MultiValueMap<String, String> params, Set<String> allowed) {
    for (Map.Entry<String, List<String>> entry : params.entrySet()) {
      if (!allowed.contains(entry.getKey())) {
        throw HttpErrorException.invalid(
            "Unknown query parameter. Allowed: "
                + (allowed.isEmpty()
                    ? "none"
                    : String.join(", ", allowed.stream().sorted().toList()))
                + ".");
      }
      if (entry.getValue().size() > 1) {
        throw HttpErrorException.invalid(
            "Query parameter '" + entry.getKey() + "' may be given only once.");
      }
    }
  }

  static void checkEndpointId(String id) {
    if (!ENDPOINT_ID.matcher(id).matches()) {
      throw endpointNotFound();
    }
  }

  static void checkDeliveryId(String id) {
    if (!DELIVERY_ID.matcher(id).matches()) {
      throw deliveryNotFound();
    }
  }

  static HttpErrorException endpointNotFound() {
    return HttpErrorException.notFound("No webhook endpoint with this id.");
  }

  static HttpErrorException deliveryNotFound() {
    return HttpErrorException.notFound("No webhook delivery with this id.");
  }
}
