package dev.signet.registry.web;

import static dev.signet.registry.web.RegistryJson.JSON;
import static dev.signet.registry.web.RegistryJson.compatibilityBody;
import static dev.signet.registry.web.RegistryJson.error;
import static dev.signet.registry.web.RegistryJson.flag;
import static dev.signet.registry.web.RegistryJson.json;
import static dev.signet.registry.web.RegistryJson.strings;
import static dev.signet.registry.web.RegistryJson.subject;

import dev.signet.registry.schema.RegistryError;
import dev.signet.registry.schema.Result;
import dev.signet.registry.schema.SchemaRegistry;
import dev.signet.registry.schema.SubjectVersion;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps HTTP requests to registry operations and results to Confluent's JSON shapes and error
 * bodies. Every request waits until the schema log has been read to its end; writes run off the
 * event loop because they block until Kafka has acknowledged and the write has been read back.
 */
@Component
class RegistryHandler {

  private final SchemaRegistry registry;
  private final ReadyGate gate;

  RegistryHandler(SchemaRegistry registry, ReadyGate gate) {
    this.registry = registry;
    this.gate = gate;
  }

  Mono<ServerResponse> root(ServerRequest request) {
    return json(request, 200, JSON.createObjectNode());
  }

  Mono<ServerResponse> schemaTypes(ServerRequest request) {
    return json(request, 200, JSON.createArrayNode().add("AVRO"));
  }

  Mono<ServerResponse> schemaById(ServerRequest request) {
    return gate.read(
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
    return gate.read(
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
    return gate.read(
        request,
        () ->
            withId(
                request,
                registry::usesOf,
                uses -> strings(uses.stream().map(SubjectVersion::subject).distinct().toList())));
  }

  Mono<ServerResponse> subjects(ServerRequest request) {
    return gate.read(
        request,
        () ->
            Outcome.of(
                strings(
                    registry.subjects(
                        flag(request, "deleted"),
                        request.queryParam("subjectPrefix").orElse(null)))));
  }

  Mono<ServerResponse> lookup(ServerRequest request) {
    return RegistryJson.withBody(
        request,
        body ->
            gate.read(
                request,
                () ->
                    Outcome.from(
                        registry.lookup(subject(request), body, flag(request, "deleted")),
                        RegistryJson::versionBody)));
  }

  Mono<ServerResponse> deleteSubject(ServerRequest request) {
    return gate.write(
        request,
        () ->
            Outcome.from(
                registry.deleteSubject(subject(request), flag(request, "permanent")),
                RegistryJson::integers));
  }

  Mono<ServerResponse> versions(ServerRequest request) {
    return gate.read(
        request,
        () ->
            Outcome.from(
                registry.versions(subject(request), flag(request, "deleted")),
                RegistryJson::integers));
  }

  Mono<ServerResponse> register(ServerRequest request) {
    return RegistryJson.withBody(
        request,
        body ->
            gate.write(
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
    return gate.read(
        request,
        () ->
            Outcome.from(
                registry.version(
                    subject(request), request.pathVariable("version"), flag(request, "deleted")),
                RegistryJson::versionBody));
  }

  Mono<ServerResponse> rawSchema(ServerRequest request) {
    return gate.read(
        request,
        () ->
            Outcome.from(
                registry.version(
                    subject(request), request.pathVariable("version"), flag(request, "deleted")),
                version -> JSON.readTree(version.schema())));
  }

  Mono<ServerResponse> referencedBy(ServerRequest request) {
    // Schema references are refused at registration, so nothing ever references a version.
    return gate.read(
        request,
        () ->
            Outcome.from(
                registry.version(subject(request), request.pathVariable("version"), true),
                version -> JSON.createArrayNode()));
  }

  Mono<ServerResponse> compatibility(ServerRequest request) {
    String version = request.pathVariables().get("version");
    boolean verbose = flag(request, "verbose");
    return RegistryJson.withBody(
        request,
        body ->
            gate.read(
                request,
                () ->
                    Outcome.from(
                        registry.checkCompatibility(subject(request), version, body),
                        report -> compatibilityBody(report, verbose))));
  }

  Mono<ServerResponse> notFound(ServerRequest request) {
    return error(request, RegistryError.notFound());
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
}
