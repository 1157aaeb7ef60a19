package dev.signet.e2e.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * One id ties a request to its reply, its log line and the events it emits: the caller's {@code
 * X-Correlation-Id} when acceptable, otherwise the one Signet makes up and echoes, found again on
 * the audit activity the request caused.
 */
class CorrelationIdIT {

  private static final String HEADER = "X-Correlation-Id";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static RunningStack stack;
  private final Http http = new Http();
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  private HttpResponse<String> challenge(String correlationId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.url("challenge") + "/v1/challenge"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", Http.basic(stack.apiSecret()))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                        + Sandbox.freshPhoneNumber()
                        + "\"}"));
    if (correlationId != null) {
      request.header(HEADER, correlationId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String auditedCorrelationId(HttpResponse<String> reply) {
    String challengeId = JSON.readTree(reply.body()).path("challengeId").asText();
    String[] found = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Http.Reply activities =
                  http.get(
                      stack.url("audit")
                          + "/v1/audit/activities?type=challenge.requested&challengeId="
                          + challengeId,
                      "Bearer " + stack.managementSecret());
              assertThat(activities.body().path("items")).hasSize(1);
              found[0] = activities.body().path("items").get(0).path("correlationId").asText();
            });
    return found[0];
  }

  @Test
  void withoutAHeaderTheEchoedIdIsTheOneOnTheEvents() throws Exception {
    HttpResponse<String> reply = challenge(null);

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    String echoed = reply.headers().firstValue(HEADER).orElseThrow();
    assertThat(echoed).matches("[0-9a-f-]{36}");
    assertThat(auditedCorrelationId(reply)).isEqualTo(echoed);
  }

  @Test
  void aGatewaysIdIsKeptEchoedAndOnTheEvents() throws Exception {
    String sent = "gw-" + System.nanoTime();
    HttpResponse<String> reply = challenge(sent);

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    assertThat(reply.headers().firstValue(HEADER)).contains(sent);
    assertThat(auditedCorrelationId(reply)).isEqualTo(sent);
  }

  @Test
  void anUnacceptableIdIsReplacedEverywhere() throws Exception {
    HttpResponse<String> reply = challenge("not an id; <script>");

    String echoed = reply.headers().firstValue(HEADER).orElseThrow();
    assertThat(echoed).matches("[0-9a-f-]{36}");
    assertThat(auditedCorrelationId(reply)).isEqualTo(echoed);
  }

  @Test
  void refusedRequestsCarryOneToo() {
    for (String service : new String[] {"challenge", "rules", "dispatcher", "audit"}) {
      Http.Reply refused = http.get(stack.url(service) + "/actuator/prometheus", null);

      assertThat(refused.status()).as(service).isEqualTo(401);
      assertThat(refused.raw().headers().firstValue(HEADER)).as(service).isPresent();
    }
  }
}
