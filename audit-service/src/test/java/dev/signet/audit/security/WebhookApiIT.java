package dev.signet.audit.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The webhook management API over real HTTP, without the development override: who may register,
 * change and redeliver; URLs that would make audit-service reach its own network refused at the
 * door; bad bodies and parameters answered with the documented JSON errors; the endpoint limit.
 * Only literal public addresses are registered, so no DNS and no delivery is needed.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "signet.webhooks.max-endpoints=3",
      // Registered endpoints are public addresses: nothing must actually be sent from a test.
      "signet.webhooks.dispatch-interval=1h"
    })
class WebhookApiIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String MANAGEMENT = "Bearer " + AuditStack.MANAGEMENT_SECRET;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    AuditStack.properties(registry, "signet-audit-webhook-api-it");
  }

  @LocalServerPort int port;

  record Reply(int status, String text, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        return JSON.createObjectNode();
      }
    }
  }

  Reply send(String method, String path, String body, String... headers) {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String session(String operator) {
    Reply reply =
        send(
            "POST",
            "/dashboard/api/login",
            "{\"username\":\"" + operator + "\",\"password\":\"" + AuditStack.PASSWORD + "\"}",
            "X-Signet-Dashboard",
            "1");
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    String setCookie = reply.headers().get("set-cookie").get(0);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static String body(String url) {
    return "{\"url\":\"" + url + "\",\"eventTypes\":[\"challenge.verified\"]}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://93.184.216.34/hook",
        "https://127.0.0.1/hook",
        "https://127.0.0.1:8083/actuator/prometheus",
        "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fd00::1]/hook",
        "https://2130706433/hook",
        "https://0.0.0.0/hook",
        "https://user:secret@93.184.216.34/hook",
        "https://93.184.216.34/hook#x",
        "file:///etc/passwd",
        "gopher://93.184.216.34/"
      })
  void refusesUrlsThatAreNotPublicHttps(String url) {
    Reply reply = send("POST", "/v1/audit/webhooks", body(url), "Authorization", MANAGEMENT);
    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(reply.json().path("errorDescription").asText()).startsWith("url");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"url\":\"https://93.184.216.34/\"}",
        "{\"url\":\"https://93.184.216.34/\",\"eventTypes\":[]}",
        "{\"url\":\"https://93.184.216.34/\",\"eventTypes\":[\"no.such-type\"]}",
        "{\"url\":\"https://93.184.216.34/\",\"eventTypes\":[\"*\",\"challenge.verified\"]}",
        "{\"url\":\"https://93.184.216.34/\",\"eventTypes\":\"*\"}",
        "{\"url\":\"https://93.184.216.34/\",\"eventTypes\":[\"*\"],\"secret\":\"x\"}",
        "{\"url\":\"https://93.184.216.34/\",\"eventTypes\":[\"*\"],\"enabled\":\"yes\"}",
        "{\"url\":42,\"eventTypes\":[\"*\"]}",
        "{not json"
      })
  void refusesBadBodiesWithTheDocumentedError(String bad) {
    Reply reply = send("POST", "/v1/audit/webhooks", bad, "Authorization", MANAGEMENT);
    assertThat(reply.status()).as(bad + " -> " + reply.text()).isEqualTo(400);
    assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void anEndpointIsRegisteredChangedAndDeletedWithTheManagementSecretOrAnOperatorSession() {
    // No credential, or an operator session on the management API: refused.
    assertThat(send("POST", "/v1/audit/webhooks", body("https://93.184.216.34/a")).status())
        .isEqualTo(401);
    String cookie = session("alice");
    assertThat(
            send(
                    "POST",
                    "/v1/audit/webhooks",
                    body("https://93.184.216.34/a"),
                    "Cookie",
                    cookie,
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(403);
    // The dashboard's route needs the CSRF header too.
    assertThat(
            send(
                    "POST",
                    "/dashboard/api/webhooks",
                    body("https://93.184.216.34/a"),
                    "Cookie",
                    cookie)
                .status())
        .isEqualTo(403);

    Reply created =
        send(
            "POST",
            "/dashboard/api/webhooks",
            body("https://93.184.216.34/from-dashboard"),
            "Cookie",
            cookie,
            "X-Signet-Dashboard",
            "1");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().path("createdBy").asText()).isEqualTo("operator:alice");
    String id = created.json().path("endpointId").asText();
    assertThat(id).matches("wh_[0-9a-f]{20}");

    // The dashboard reads the management API with its session.
    Reply list =
        send("GET", "/v1/audit/webhooks", null, "Cookie", cookie, "X-Signet-Dashboard", "1");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("items").findValuesAsText("endpointId")).contains(id);
    assertThat(list.json().path("maxEndpoints").asInt()).isEqualTo(3);

    Reply disabled =
        send(
            "PATCH",
            "/v1/audit/webhooks/" + id,
            "{\"enabled\":false}",
            "Authorization",
            MANAGEMENT);
    assertThat(disabled.status()).as(disabled.text()).isEqualTo(200);
    assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
    assertThat(
            send(
                    "PATCH",
                    "/v1/audit/webhooks/" + id,
                    "{\"url\":\"https://1.1.1.1/\"}",
                    "Authorization",
                    MANAGEMENT)
                .status())
        .as("the URL cannot be changed: register a new endpoint")
        .isEqualTo(400);

    Reply deliveries =
        send(
            "GET",
            "/v1/audit/webhooks/deliveries?endpointId=" + id,
            null,
            "Authorization",
            MANAGEMENT);
    assertThat(deliveries.status()).isEqualTo(200);
    assertThat(deliveries.json().path("items").size()).isZero();
    for (String bad :
        List.of(
            "state=SENT",
            "limit=0",
            "limit=x",
            "endpointId=../x",
            "other=1",
            "state=FAILED&state=PENDING")) {
      Reply reply =
          send("GET", "/v1/audit/webhooks/deliveries?" + bad, null, "Authorization", MANAGEMENT);
      assertThat(reply.status()).as(bad + " -> " + reply.text()).isIn(400, 404);
    }
    assertThat(
            send(
                    "POST",
                    "/v1/audit/webhooks/deliveries/dlv_00000000000000000000000000000000/redeliver",
                    null,
                    "Authorization",
                    MANAGEMENT)
                .status())
        .isEqualTo(404);

    assertThat(
            send(
                    "DELETE",
                    "/dashboard/api/webhooks/" + id,
                    null,
                    "Cookie",
                    cookie,
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(204);
    assertThat(send("GET", "/v1/audit/webhooks/" + id, null, "Authorization", MANAGEMENT).status())
        .isEqualTo(404);
  }

  @Test
  void theEndpointLimitHoldsAndAnswersConflict() {
    List<String> ids = new java.util.ArrayList<>();
    try {
      int created = 0;
      Reply last = null;
      for (int i = 0; i < 5; i++) {
        last =
            send(
                "POST",
                "/v1/audit/webhooks",
                body("https://93.184.216.34/limit-" + i),
                "Authorization",
                MANAGEMENT);
        if (last.status() == 201) {
          created++;
          ids.add(last.json().path("endpointId").asText());
        }
      }
      // Another test may hold a slot for a moment; never more than the limit in all.
      Reply list = send("GET", "/v1/audit/webhooks", null, "Authorization", MANAGEMENT);
      assertThat(list.json().path("items").size()).isLessThanOrEqualTo(3);
      assertThat(created).isLessThanOrEqualTo(3);
      assertThat(last.status()).isEqualTo(409);
      assertThat(last.json().path("error").asText()).isEqualTo("conflict");
    } finally {
      for (String id : ids) {
        send("DELETE", "/v1/audit/webhooks/" + id, null, "Authorization", MANAGEMENT);
      }
    }
  }
}
