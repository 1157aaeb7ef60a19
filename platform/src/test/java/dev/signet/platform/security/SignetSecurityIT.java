package dev.signet.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.platform.web.ErrorResponder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shared chain parts in a real server on a real port: the firewall refuses every path spelling
 * trick with the JSON 400, a missing or wrong credential is a JSON 401, a credential of the wrong
 * kind is a JSON 403, and only the probes are public.
 */
@SpringBootTest(
    classes = SignetSecurityIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,info",
      "management.endpoint.health.probes.enabled=true",
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration,"
          + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
          + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration,"
          + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration"
    })
class SignetSecurityIT {

  static final String API_SECRET = "api-secret-for-tests";
  static final String MANAGEMENT_SECRET = "management-secret-for-tests";

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebFluxSecurity
  static class App {

    @Bean
    ErrorResponder errors() {
      return ErrorResponder.json("Basic realm=\"signet\"");
    }

    @Bean
    SecurityWebFilterChain chain(ServerHttpSecurity http, ErrorResponder errors) {
      var credentials =
          CredentialAuthenticationManager.builder()
              .basicUser(SharedSecret.of(API_SECRET, "api"), SignetSecurity.API)
              .bearerOrBasicUser(
                  SharedSecret.of(MANAGEMENT_SECRET, "management"), SignetSecurity.MANAGEMENT)
              .build();
      return SignetSecurity.common(http, credentials, errors)
          .authorizeExchange(
              exchanges ->
                  SignetSecurity.actuator(exchanges)
                      .pathMatchers(HttpMethod.GET, "/public")
                      .permitAll()
                      .pathMatchers("/v1/**")
                      .hasAuthority(SignetSecurity.API)
                      .anyExchange()
                      .denyAll())
          .build();
    }

    @Bean
    Routes routes() {
      return new Routes();
    }
  }

  @RestController
  static class Routes {
    @GetMapping("/v1/users/{id}")
    Map<String, String> user(@PathVariable String id) {
      return Map.of("userId", id, "secret", "protected");
    }

    @GetMapping("/public")
    Map<String, String> open() {
      return Map.of("open", "yes");
    }
  }

  @LocalServerPort int port;

  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(String rawPath, String authorization) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1;x/users/u1",
        "/v1/users;x/u1",
        "/v1/users/u1;x",
        "/v1/%2e/users/u1",
        "/v1/users%2fu1",
        "/v1/users%5cu1",
        "/v1/users/%25",
        "/v1//users/u1",
        "/v1/./users/u1",
        "/v1/x/../users/u1",
        "/v1/users/u1%00",
        "/v1/users/u1%0d%0aX-Forged:%20yes"
      })
  void refusesPathSpellingTricksWithTheJsonBadRequestEvenWithTheRightSecret(String path)
      throws Exception {
    for (String authorization : new String[] {null, basic(API_SECRET)}) {
      var response = get(path, authorization);

      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(response.body())
          .contains("\"error\":\"invalid_request\"")
          .doesNotContain("protected");
    }
  }

  @Test
  void aRouteNeedsItsCredential() throws Exception {
    assertThat(get("/v1/users/u1", null).statusCode()).isEqualTo(401);
    assertThat(get("/v1/users/u1", null).body()).contains("\"error\":\"unauthorized\"");
    assertThat(get("/v1/users/u1", null).headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"signet\"");
    assertThat(get("/v1/users/u1", basic("wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/v1/users/u1", "Digest abc").statusCode()).isEqualTo(401);
    assertThat(get("/v1/users/u1", "Basic !!!").statusCode()).isEqualTo(401);
    assertThat(get("/v1/users/u1", basic(API_SECRET)).statusCode()).isEqualTo(200);
  }

  @Test
  void encodedLettersAreTheSameRouteAndNeedTheSameCredential() throws Exception {
    assertThat(get("/%76%31/users/u1", null).statusCode()).isEqualTo(401);
    assertThat(get("/%76%31/users/u1", basic(API_SECRET)).statusCode()).isEqualTo(200);
  }

  @Test
  void aCredentialOfAnotherKindIsForbidden() throws Exception {
    var response = get("/v1/users/u1", "Bearer " + MANAGEMENT_SECRET);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("\"error\":\"forbidden\"");
    assertThat(get("/v1/users/u1", "Bearer " + API_SECRET).statusCode()).isEqualTo(401);
  }

  @Test
  void anyRouteNotAllowedIsDenied() throws Exception {
    assertThat(get("/unknown", null).statusCode()).isEqualTo(401);
    assertThat(get("/unknown", basic(API_SECRET)).statusCode()).isEqualTo(403);
    assertThat(get("/V1/USERS/u1", basic(API_SECRET)).statusCode()).isEqualTo(403);
  }

  @Test
  void onlyTheProbesOfTheActuatorArePublic() throws Exception {
    assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/info", basic(API_SECRET)).statusCode()).isEqualTo(403);
    assertThat(get("/actuator/health", "Bearer " + MANAGEMENT_SECRET).statusCode()).isEqualTo(200);
    assertThat(get("/public", null).statusCode()).isEqualTo(200);
  }
}
