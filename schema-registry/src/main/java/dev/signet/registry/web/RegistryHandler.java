package dev.signet.registry.web;

import dev.signet.registry.RegistryProperties;
import dev.signet.registry.log.KafkaSchemaLog;
import dev.signet.registry.schema.CompatibilityLevel;
import dev.signet.registry.schema.CompatibilityReport;
import dev.signet.registry.schema.RegistryError;
import dev.signet.registry.schema.Result;
import dev.signet.registry.schema.SchemaLogException;
import dev.signet.registry.schema.SchemaRegistry;
import dev.signet.registry.schema.SchemaRequest;
import dev.signet.registry.schema.SchemaVersion;
import dev.signet.registry.schema.SubjectVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps HTTP requests to registry operations and results to Confluent's JSON shapes and error
 * bodies. Every request waits until the schema log has been read to its end; writes run off the
 * event loop because they block until Kafka has acknowledged and the write has been read back.
 */
@Component
class RegistryHandler {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final MediaType V1 =
      MediaType.parseMediaType("application/vnd.schemaregistry.v1+json");
  private static final MediaType ANY_VERSION =
      MediaType.parseMediaType("application/vnd.schemaregistry+json");

  private final SchemaRegistry registry;
  private final KafkaSchemaLog schemaLog;
  private final Duration readyTimeout;

  RegistryHandler(
      SchemaRegistry registry, KafkaSchemaLog schemaLog, RegistryProperties properties) {
    this.registry = registry;
    this.schemaLog = schemaLog;
    this.readyTimeout = properties.readyTimeout();
  }

  Mono<ServerResponse> root(ServerRequest request) {
    return json(request, 200, JSON.createObjectNode());
  }

  Mono<ServerResponse> schemaTypes(ServerRequest request) {
    return json(request, 200, JSON.createArrayNode().add("AVRO"));
  }

  Mono<ServerResponse> schemaById(ServerRequest request) {
    return read(
        request,
        () ->
            withId(
                request,
                id -> registry.schemaById(id),
                schema -> {
                  ObjectNode body = JSON.createObjectNode();
                  body.put("schema", schema);
                  return body;
                }));
  }

  Mono<ServerResponse> versionsOfId(ServerRequest request) {
    return read(
        request,
        () ->
            withId(
                request,
                registry::usesOf,
                uses -> {
                  ArrayNode body = JSON.createArrayNode();
                  for (SubjectVersion use : uses) {
                    body.addObject().put("subject", use.subject()).put("version", use.version());
                  }
                  return body;
                }));
  }

  Mono<ServerResponse> subjectsOfId(ServerRequest request) {
    return read(
        request,
        () ->
            withId(
                request,
                registry::usesOf,
                uses -> strings(uses.stream().map(SubjectVersion::subject).distinct().toList())));
  }

  Mono<ServerResponse> subjects(ServerRequest request) {
    return read(
        request,
        () ->
            Outcome.of(
                strings(
                    registry.subjects(
                        flag(request, "deleted"),
                        request.queryParam("subjectPrefix").orElse(null)))));
  }

  Mono<ServerResponse> lookup(ServerRequest request) {
    return withBody(
        request,
        body ->
            read(
                request,
                () ->
                    Outcome.from(
                        registry.lookup(subject(request), body, flag(request, "deleted")),
                        RegistryHandler::versionBody)));
  }

  Mono<ServerResponse> deleteSubject(ServerRequest request) {
    return write(
        request,
        () ->
            Outcome.from(
                registry.deleteSubject(subject(request), flag(request, "permanent")),
                RegistryHandler::integers));
  }

  Mono<ServerResponse> versions(ServerRequest request) {
    return read(
        request,
        () ->
            Outcome.from(
                registry.versions(subject(request), flag(request, "deleted")),
                RegistryHandler::integers));
  }

  Mono<ServerResponse> register(ServerRequest request) {
    return withBody(
        request,
        body ->
            write(
                request,
                () ->
                    Outcome.from(
                        registry.register(subject(request), body),
                        id -> {
                          ObjectNode response = JSON.createObjectNode();
                          response.put("id", id);
                          return response;
                        })));
  }

  Mono<ServerResponse> version(ServerRequest request) {
    return read(
        request,
        () ->
            Outcome.from(
                registry.version(
                    subject(request), request.pathVariable("version"), flag(request, "deleted")),
                RegistryHandler::versionBody));
  }

  Mono<ServerResponse> rawSchema(ServerRequest request) {
    return read(
        request,
        () ->
            Outcome.from(
                registry.version(
                    subject(request), request.pathVariable("version"), flag(request, "deleted")),
                version -> JSON.readTree(version.schema())));
  }

  Mono<ServerResponse> referencedBy(ServerRequest request) {
    // Schema references are refused at registration, so nothing ever references a version.
    return read(
        request,
        () ->
            Outcome.from(
                registry.version(subject(request), request.pathVariable("version"), true),
                version -> JSON.createArrayNode()));
  }

  Mono<ServerResponse> compatibility(ServerRequest request) {
    String version = request.pathVariables().get("version");
    boolean verbose = flag(request, "verbose");
    return withBody(
        request,
        body ->
            read(
                request,
                () ->
                    Outcome.from(
                        registry.checkCompatibility(subject(request), version, body),
                        report -> compatibilityBody(report, verbose))));
  }

  Mono<ServerResponse> globalConfig(ServerRequest request) {
    return read(request, () -> Outcome.of(levelBody("compatibilityLevel", registry.globalLevel())));
  }

  Mono<ServerResponse> subjectConfig(ServerRequest request) {
    return read(
        request,
        () ->
            Outcome.from(
                registry.subjectLevel(subject(request), flag(request, "defaultToGlobal")),
                level -> levelBody("compatibilityLevel", level)));
  }

  Mono<ServerResponse> updateConfig(ServerRequest request) {
    String subject = request.pathVariables().get("subject");
    return request
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .flatMap(
            text -> {
              String level;
              try {
                JsonNode node = JSON.readTree(text.isBlank() ? "{}" : text);
                JsonNode value =
                    node.has("compatibility")
                        ? node.get("compatibility")
                        : node.get("compatibilityLevel");
                level = value == null || value.isNull() ? null : value.asString();
              } catch (JacksonException e) {
                return error(request, RegistryError.badRequest("Malformed JSON request body"));
              }
              return write(
                  request,
                  () ->
                      Outcome.from(
                          registry.setLevel(subject, level),
                          updated -> levelBody("compatibility", updated)));
            });
  }

  Mono<ServerResponse> deleteSubjectConfig(ServerRequest request) {
    return write(
        request,
        () ->
            Outcome.from(
                registry.deleteSubjectLevel(subject(request)),
                level -> levelBody("compatibilityLevel", level)));
  }

  Mono<ServerResponse> mode(ServerRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("mode", "READWRITE");
    return json(request, 200, body);
  }

  Mono<ServerResponse> notFound(ServerRequest request) {
    return error(request, RegistryError.notFound());
  }

  /** A read of the in-memory state, answered once the log has been read to its end. */
  private Mono<ServerResponse> read(ServerRequest request, Callable<Outcome> operation) {
    return whenReady(request, Mono.fromCallable(operation));
  }

  /** A write blocks on Kafka, so it runs on the bounded elastic scheduler, not the event loop. */
  private Mono<ServerResponse> write(ServerRequest request, Callable<Outcome> operation) {
    return whenReady(
        request, Mono.fromCallable(operation).subscribeOn(Schedulers.boundedElastic()));
  }

  private Mono<ServerResponse> whenReady(ServerRequest request, Mono<Outcome> operation) {
    return Mono.fromFuture(schemaLog.caughtUp(), true)
        .timeout(readyTimeout)
        .then(operation)
        .flatMap(
            outcome ->
                outcome.error() != null
                    ? error(request, outcome.error())
                    : json(request, 200, outcome.body()))
        .onErrorResume(
            java.util.concurrent.TimeoutException.class,
            e ->
                error(
                    request,
                    new RegistryError(
                        503,
                        50002,
                        "The registry has not finished reading topic " + schemaLog.topic())))
        .onErrorResume(
            SchemaLogException.class,
            e ->
                error(
                    request,
                    e.isTimeout()
                        ? RegistryError.timeout(e.getMessage())
                        : RegistryError.storeError(e.getMessage())));
  }

  private Mono<ServerResponse> withBody(
      ServerRequest request, Function<SchemaRequest, Mono<ServerResponse>> then) {
    return request
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .flatMap(
            text -> {
              SchemaRequest body;
              try {
                JsonNode node = JSON.readTree(text.isBlank() ? "{}" : text);
                JsonNode references = node.get("references");
                body =
                    new SchemaRequest(
                        textOrNull(node.get("schema")),
                        textOrNull(node.get("schemaType")),
                        references != null && references.isArray() && !references.isEmpty());
              } catch (JacksonException e) {
                return error(request, RegistryError.badRequest("Malformed JSON request body"));
              }
              return then.apply(body);
            });
  }

  private Mono<ServerResponse> json(ServerRequest request, int status, JsonNode body) {
    return ServerResponse.status(status)
        .contentType(responseType(request))
        .bodyValue(JSON.writeValueAsString(body));
  }

  private Mono<ServerResponse> error(ServerRequest request, RegistryError error) {
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

  private static <T> Outcome withId(
      ServerRequest request,
      Function<Integer, Result<T>> lookup,
      Function<? super T, ? extends JsonNode> body) {
    String text = request.pathVariable("id");
    int id;
    try {
      id = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return Outcome.failed(RegistryError.notFound());
    }
    return Outcome.from(lookup.apply(id), body);
  }

  private static String subject(ServerRequest request) {
    return request.pathVariable("subject");
  }

  private static boolean flag(ServerRequest request, String name) {
    return request.queryParam(name).map(Boolean::parseBoolean).orElse(false);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }

  private static JsonNode versionBody(SchemaVersion version) {
    ObjectNode body = JSON.createObjectNode();
    body.put("subject", version.subject());
    body.put("version", version.version());
    body.put("id", version.id());
    body.put("schema", version.schema());
    return body;
  }

  private static JsonNode compatibilityBody(CompatibilityReport report, boolean verbose) {
    ObjectNode body = JSON.createObjectNode();
    body.put("is_compatible", report.compatible());
    if (verbose) {
      ArrayNode messages = body.putArray("messages");
      report.messages().forEach(messages::add);
    }
    return body;
  }

  private static JsonNode levelBody(String field, CompatibilityLevel level) {
    ObjectNode body = JSON.createObjectNode();
    body.put(field, level.name());
    return body;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private static ArrayNode integers(List<Integer> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  /** A response body or a Confluent error, the web view of a {@link Result}. */
  private record Outcome(JsonNode body, RegistryError error) {

    static Outcome of(JsonNode body) {
      return new Outcome(body, null);
    }

    static Outcome failed(RegistryError error) {
      return new Outcome(null, error);
    }

    static <T> Outcome from(Result<T> result, Function<? super T, ? extends JsonNode> body) {
      if (result instanceof Result.Ok<T> ok) {
        return of(body.apply(ok.value()));
      }
      return failed(((Result.Failed<T>) result).error());
    }
  }
}
