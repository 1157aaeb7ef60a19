package dev.signet.registry.web;

import dev.signet.registry.schema.CompatibilityLevel;
import dev.signet.registry.schema.CompatibilityReport;
import dev.signet.registry.schema.RegistryError;
import dev.signet.registry.schema.SchemaRequest;
import dev.signet.registry.schema.SchemaVersion;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Confluent's JSON in and out: request bodies (a malformed one is Confluent's 400), response and
 * error bodies and the media type they go out as, and the request's path and query values.
 */
final class RegistryJson {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final MediaType V1 =
      MediaType.parseMediaType("application/vnd.schemaregistry.v1+json");
  private static final MediaType ANY_VERSION =
      MediaType.parseMediaType("application/vnd.schemaregistry+json");

  private RegistryJson() {}

  static Mono<ServerResponse> json(ServerRequest request, int status, JsonNode body) {
    return ServerResponse.status(status)
        .contentType(responseType(request))
        .bodyValue(JSON.writeValueAsString(body));
  }

  static Mono<ServerResponse> error(ServerRequest request, RegistryError error) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error_code", error.errorCode());
    body.put("message", error.message());
    return json(request, error.httpStatus(), body);
  }

  /** Confluent's media type unless the client asked only for plain JSON. */
  private static MediaType responseType(ServerRequest request) {
    List<MediaType> accepted = request.headers().accept();
    if (accepted.isEmpty()) {
      return V1;
    }
    for (MediaType type : accepted) {
      if (type.isCompatibleWith(V1) || type.isCompatibleWith(ANY_VERSION)) {
        return V1;
      }
    }
    for (MediaType type : accepted) {
      if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
        return MediaType.APPLICATION_JSON;
      }
    }
    return V1;
  }

  static JsonNode versionBody(SchemaVersion version) {
    ObjectNode body = JSON.createObjectNode();
    body.put("subject", version.subject());
    body.put("version", version.version());
    body.put("id", version.id());
    body.put("schema", version.schema());
    return body;
  }

  static JsonNode compatibilityBody(CompatibilityReport report, boolean verbose) {
    ObjectNode body = JSON.createObjectNode();
    body.put("is_compatible", report.compatible());
    if (verbose) {
      ArrayNode messages = body.putArray("messages");
      report.messages().forEach(messages::add);
    }
    return body;
  }

  static JsonNode levelBody(String field, CompatibilityLevel level) {
    ObjectNode body = JSON.createObjectNode();
    body.put(field, level.name());
    return body;
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  static ArrayNode integers(List<Integer> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  static Mono<ServerResponse> withBody(
      ServerRequest request, Function<SchemaRequest, Mono<ServerResponse>> then) {
    return withJson(
        request,
        node -> {
          JsonNode references = node.get("references");
          return then.apply(
              new SchemaRequest(
                  textOrNull(node.get("schema")),
                  textOrNull(node.get("schemaType")),
                  references != null && references.isArray() && !references.isEmpty()));
        });
  }

  /**
   * The request's JSON body (an empty body reads as {@code {}}), or Confluent's 400 when malformed.
   */
  static Mono<ServerResponse> withJson(
      ServerRequest request, Function<JsonNode, Mono<ServerResponse>> then) {
    return request
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .flatMap(
            text -> {
              JsonNode node;
              try {
                node = JSON.readTree(text.isBlank() ? "{}" : text);
              } catch (JacksonException e) {
                return error(request, RegistryError.badRequest("Malformed JSON request body"));
              }
              return then.apply(node);
            });
  }

  static String subject(ServerRequest request) {
    return request.pathVariable("subject");
  }

  static boolean flag(ServerRequest request, String name) {
    return request.queryParam(name).map(Boolean::parseBoolean).orElse(false);
  }

  static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }
}
