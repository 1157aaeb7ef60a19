package dev.signet.registry.web;

import static dev.signet.registry.web.RegistryJson.flag;
import static dev.signet.registry.web.RegistryJson.json;
import static dev.signet.registry.web.RegistryJson.levelBody;
import static dev.signet.registry.web.RegistryJson.subject;
import static dev.signet.registry.web.RegistryJson.textOrNull;
import static dev.signet.registry.web.RegistryJson.withJson;

import dev.signet.registry.schema.SchemaRegistry;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The compatibility levels ({@code /config}) and the mode, which is always read-write. */
@Component
class ConfigHandler {

  private final SchemaRegistry registry;
  private final ReadyGate gate;

  ConfigHandler(SchemaRegistry registry, ReadyGate gate) {
    this.registry = registry;
    this.gate = gate;
  }

  Mono<ServerResponse> globalConfig(ServerRequest request) {
    return gate.read(
        request, () -> Outcome.of(levelBody("compatibilityLevel", registry.globalLevel())));
  }

  Mono<ServerResponse> subjectConfig(ServerRequest request) {
    return gate.read(
        request,
        () ->
            Outcome.from(
                registry.subjectLevel(subject(request), flag(request, "defaultToGlobal")),
                level -> levelBody("compatibilityLevel", level)));
  }

  Mono<ServerResponse> updateConfig(ServerRequest request) {
    String subject = request.pathVariables().get("subject");
    return withJson(
        request,
        node -> {
          JsonNode value =
              node.has("compatibility")
                  ? node.get("compatibility")
                  : node.get("compatibilityLevel");
          String level = textOrNull(value);
          return gate.write(
              request,
              () ->
                  Outcome.from(
                      registry.setLevel(subject, level),
                      updated -> levelBody("compatibility", updated)));
        });
  }

  Mono<ServerResponse> deleteSubjectConfig(ServerRequest request) {
    return gate.write(
        request,
        () ->
            Outcome.from(
                registry.deleteSubjectLevel(subject(request)),
                level -> levelBody("compatibilityLevel", level)));
  }

  Mono<ServerResponse> mode(ServerRequest request) {
    ObjectNode body = RegistryJson.JSON.createObjectNode();
    body.put("mode", "READWRITE");
    return json(request, 200, body);
  }
}
