package dev.signet.sms.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.sms.it.DispatcherItSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's HTTP surface is deny by default: the webhook is its only public route (and
 * checks Vonage's signature itself), path spelling tricks are refused before routing, and the
 * actuator needs the management secret except for the probes.
 */
class DispatcherSurfaceIT extends DispatcherItSupport {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyTheProbesArePublicAndTheRestOfTheActuatorNeedsTheManagementSecret() throws Exception {
    assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/mappings")) {
      var anonymous = get(path, null);
      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(anonymous.body()).as(path).contains("\"error\":\"unauthorized\"");
      assertThat(get(path, "Bearer wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "Bearer " + MANAGEMENT_SECRET).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void pathSpellingTricksAreRefusedBeforeRoutingWithOrWithoutTheSecret() throws Exception {
    for (String path :
        List.of(
            "/actuator;x/prometheus",
            "/actuator/prometheus;x",
            "/actuator//prometheus",
            "/actuator/./prometheus",
            "/x/../actuator/prometheus",
            "/actuator%2fprometheus",
            "/actuator/prometheus%00",
            "/webhooks;x/vonage/delivery-receipt",
            "/webhooks/vonage/delivery-receipt%2e")) {
      for (String authorization : new String[] {null, "Bearer " + MANAGEMENT_SECRET}) {
        var response = get(path, authorization);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        assertThat(response.body()).as(path).contains("\"error\":\"invalid_request\"");
      }
    }
  }

  @Test
  void anyOtherRouteIsDeniedWithAJsonBody() throws Exception {
    var anonymous = get("/v1/anything", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(get("/v1/anything", "Bearer " + MANAGEMENT_SECRET).statusCode()).isEqualTo(403);
  }
}
