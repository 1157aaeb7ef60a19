package dev.signet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's auto-configuration in a real server: Boot's own JSON mapper, the one every
 * controller binds with, refuses coercion, and the service's error handler answers the mismatch
 * with the documented text.
 */
@SpringBootTest(
    classes = StrictJsonIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties =
        "spring.autoconfigure.exclude="
            + "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration,"
            + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
            + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration,"
            + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration")
class StrictJsonIT {

  record Enrol(String phoneNumber, Boolean isEnrolled) {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebFluxSecurity
  static class App {

    @Bean
    ErrorResponder errors() {
      return ErrorResponder.json("Basic realm=\"signet\"");
    }

    @Bean
    @Order(-2)
    JsonErrorHandler jsonErrorHandler(ErrorResponder errors) {
      return new JsonErrorHandler(errors, (exchange, failure) -> Optional.empty());
    }

    @Bean
    SecurityWebFilterChain chain(ServerHttpSecurity http) {
      return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
          .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
          .build();
    }

    @Bean
    Routes routes() {
      return new Routes();
    }
  }

  @RestController
  static class Routes {
    @PostMapping("/enrol")
    Map<String, Object> enrol(@RequestBody Enrol body) {
      return Map.of("phoneNumber", body.phoneNumber(), "isEnrolled", body.isEnrolled());
    }
  }

  @LocalServerPort int port;

  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> post(String json) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/enrol"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aNumberWhereAStringGoesIsRefusedNotCoerced() throws Exception {
    var response = post("{\"phoneNumber\":447700900001,\"isEnrolled\":true}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":\"invalid_request\",\"errorCode\":\"invalid_request\","
                + "\"errorDescription\":\"phoneNumber must be a string.\"}");
  }

  @Test
  void aStringWhereABooleanGoesIsRefusedNotCoerced() throws Exception {
    var response = post("{\"phoneNumber\":\"+447700900001\",\"isEnrolled\":\"false\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"errorDescription\":\"isEnrolled must be a boolean.\"");
  }

  @Test
  void aWellTypedBodyWithUnknownMembersIsBound() throws Exception {
    var response = post("{\"phoneNumber\":\"+447700900001\",\"isEnrolled\":true,\"extra\":[1]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"phoneNumber\":\"+447700900001\"");
  }

  @Test
  void malformedJsonKeepsItsAnswer() throws Exception {
    var response = post("{\"phoneNumber\":");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("\"errorDescription\":\"The request body is not valid JSON for this endpoint.\"");
  }
}
