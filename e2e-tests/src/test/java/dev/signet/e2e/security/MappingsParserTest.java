package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads /actuator/mappings answers captured from the local stack (src/test/resources). */
class MappingsParserTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void readsAnnotatedControllersWithEveryMethodAndPattern() {
    List<Route> routes = MappingsParser.parse("challenge", sample("challenge"));

    assertThat(routes)
        .extracting(r -> r.method() + " " + r.pattern())
        .contains(
            "POST /v1/challenge",
            "GET /v1/users/{userId}",
            "DELETE /v1/users/{userId}",
            "PATCH /v1/users/{userId}",
            "POST /v1/users/{userId}",
            "POST /v1/client/verify/sms",
            "GET /.well-known/jwks.json",
            "GET /actuator/health/{*path}",
            "GET /actuator/mappings");
    assertThat(routes)
        .filteredOn(r -> r.pattern().equals("/v1/challenge"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.source()).isEqualTo(Route.Source.HANDLER_METHOD);
              assertThat(r.consumes()).containsExactly("application/json");
            });
  }

  @Test
  void readsRouterFunctionsAndResourceHandlers() {
    List<Route> routes = MappingsParser.parse("audit", sample("audit"));

    assertThat(routes)
        .filteredOn(r -> r.source() == Route.Source.ROUTER_FUNCTION)
        .extracting(r -> r.method() + " " + r.pattern())
        .containsExactlyInAnyOrder("GET /dashboard/", "GET /dashboard", "GET /");
    assertThat(routes)
        .filteredOn(r -> r.source() == Route.Source.RESOURCE_HANDLER)
        .extracting(Route::pattern)
        .contains("/**", "/webjars/**", "/swagger-ui/**", "/swagger-ui/*index.html");
    assertThat(routes)
        .extracting(r -> r.method() + " " + r.pattern())
        .contains(
            "POST /dashboard/api/login",
            "GET /dashboard/api/reviews",
            "POST /dashboard/api/reviews/{userId}/{action}/{idempotencyKey}",
            "GET /v1/audit/users/{userId}/timeline");
  }

  @Test
  void findsEveryRouteOfEachCapturedService() {
    assertThat(MappingsParser.parse("challenge", sample("challenge"))).hasSize(33);
    assertThat(MappingsParser.parse("rules", sample("rules"))).hasSize(28);
    assertThat(MappingsParser.parse("dispatcher", sample("dispatcher")))
        .extracting(r -> r.method() + " " + r.pattern())
        .contains("GET /webhooks/vonage/delivery-receipt", "POST /webhooks/vonage/delivery-receipt")
        .hasSize(10);
    assertThat(MappingsParser.parse("audit", sample("audit"))).hasSize(38);
  }

  @Test
  void combinesNestedRouterPredicates() {
    List<MappingsParser.Alternative> alternatives =
        new MappingsParser.PredicateParser("s", "(/api && ((GET && /a) || (POST && /b/{id})))")
            .parse();

    assertThat(alternatives)
        .containsExactly(
            new MappingsParser.Alternative(java.util.Set.of("GET"), "/api/a"),
            new MappingsParser.Alternative(java.util.Set.of("POST"), "/api/b/{id}"));
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(
            () -> new MappingsParser.PredicateParser("s", "(GET && Accept: text/html)").parse())
        .isInstanceOf(MappingsParser.UnreadableMapping.class);
    assertThatThrownBy(() -> new MappingsParser.PredicateParser("s", "!(GET && /a)").parse())
        .isInstanceOf(MappingsParser.UnreadableMapping.class);
    assertThatThrownBy(
            () ->
                MappingsParser.parse(
                    "s",
                    JSON.readTree(
                        "{\"contexts\":{\"app\":{\"mappings\":{\"dispatcherServlets\":{}}}}}")))
        .isInstanceOf(MappingsParser.UnreadableMapping.class)
        .hasMessageContaining("dispatcherServlets");
    assertThatThrownBy(
            () ->
                MappingsParser.parse(
                    "s",
                    JSON.readTree(
                        "{\"contexts\":{\"app\":{\"mappings\":{\"dispatcherHandlers\":{\"h\":"
                            + "[{\"handler\":\"something new\",\"predicate\":\"/x\"}]}}}}}")))
        .isInstanceOf(MappingsParser.UnreadableMapping.class)
        .hasMessageContaining("unknown handler shape");
    assertThatThrownBy(() -> MappingsParser.parse("s", JSON.readTree("{}")))
        .isInstanceOf(MappingsParser.UnreadableMapping.class);
  }

  @Test
  void refusesConditionsItWouldNotSatisfy() {
    String mapping =
        "{\"contexts\":{\"app\":{\"mappings\":{\"dispatcherHandlers\":{\"h\":[{\"details\":"
            + "{\"requestMappingConditions\":{\"methods\":[\"GET\"],\"patterns\":[\"/x\"],"
            + "\"headers\":[{\"name\":\"X-Admin\",\"value\":\"1\",\"negated\":false}],"
            + "\"params\":[],\"consumes\":[],\"produces\":[]}}}]}}}}}";

    assertThatThrownBy(() -> MappingsParser.parse("s", JSON.readTree(mapping)))
        .isInstanceOf(MappingsParser.UnreadableMapping.class)
        .hasMessageContaining("header or parameter");
  }

  @Test
  void substitutesHarmlessValuesForVariablesAndWildcards() {
    assertThat(ProbePaths.of("/v1/users/{userId}/actions/{action}/{idempotencyKey}"))
        .containsExactly("/v1/users/hostile-probe-user/actions/hostileProbe/hostile-probe-key");
    assertThat(ProbePaths.of("/actuator/health/{*path}"))
        .containsExactly(
            "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health/mongo");
    assertThat(ProbePaths.of("/webjars/*swagger-ui/5.32.11/*index.html"))
        .containsExactly("/webjars/swagger-ui/5.32.11/index.html");
    assertThat(ProbePaths.of("/**")).containsExactly("/hostile-probe.txt");
    assertThat(ProbePaths.of("/")).containsExactly("/");
    assertThat(ProbePaths.of("/dashboard/")).containsExactly("/dashboard/");
    assertThat(ProbePaths.of("/x/{unknownName}")).containsExactly("/x/hostile-probe");
    assertThat(ProbePaths.of("/v1/users/{userId}", java.util.Map.of("userId", List.of("u1"))))
        .containsExactly("/v1/users/u1");
  }

  private static JsonNode sample(String service) {
    String resource = "/security/mappings/" + service + ".json";
    try (InputStream in = MappingsParserTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
