package dev.signet.audit.dashboard;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The routes on the dashboard: {@code GET|PUT /dashboard/api/routing} (the routing rules, through
 * rules-service, which owns their validation) and {@code GET /dashboard/api/routes/health} (each
 * route's circuit state). Like every dashboard call they need the operator's session and the CSRF
 * header; a change is logged with the operator's name.
 */
@RestController
class RoutingController {

  /** rules-service takes at most 300 rules of 5 routes: far below this. */
  private static final int MAX_BODY = 256 * 1024;

  private final RouteOperations routes;
  private final JsonMapper json;

  RoutingController(RouteOperations routes, JsonMapper json) {
    this.routes = routes;
    this.json = json;
  }

  @GetMapping(path = "/dashboard/api/routing", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<JsonNode> routing() {
    return DashboardRequests.current().then(routes.routing());
  }

  /** Body {@code {rules:[...]}} as rules-service's routing API takes it. */
  @PutMapping(
      path = "/dashboard/api/routing",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<JsonNode> replace(@RequestBody(required = false) String body) {
    JsonNode rules = rulesBody(body);
    return DashboardRequests.current()
        .flatMap(session -> routes.replace(rules, session.operator()));
  }

  @GetMapping(path = "/dashboard/api/routes/health", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<RouteOperations.RoutesHealth> health() {
    return DashboardRequests.current().then(routes.health());
  }

  private JsonNode rulesBody(String body) {
    if (body != null && body.length() > MAX_BODY) {
      throw DashboardException.invalid("The request body is too large.");
    }
    JsonNode node = DashboardRequests.object(json, body);
    if (!node.path("rules").isArray()) {
      throw DashboardException.invalid("The request body must be {\"rules\": [...]}.");
    }
    return node;
  }
}
