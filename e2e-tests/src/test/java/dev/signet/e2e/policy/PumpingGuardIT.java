package dev.signet.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send policy through the running stack: rules-service publishes it, challenge-service refuses
 * codes to destinations it rules out at request time, and a burst of codes to one number range gets
 * that range blocked by the pumping guard while normal traffic goes on being delivered.
 */
class PumpingGuardIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  @Test
  void aRegionOutsideTheAllowlistIsRefusedAtRequestTime() {
    // The initial policy (published by rules-service on its first start) reaches challenge-service.
    Http.Reply brazil =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> challenge("+55119" + digits(8)), r -> r.status() == 400);
    assertThat(brazil.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(brazil.body().path("errorDescription").asText())
        .isEqualTo("SMS to this country (BR) is not allowed by the send policy.");
  }

  @Test
  void aBurstToOnePrefixGetsItBlockedWhileNormalTrafficPasses() {
    JsonNode before = manage("GET", "/v1/management/send-policy", null);
    assertThat(before.path("version").asLong()).isPositive();
    // 14-character numbers in the fictional range: their prefix (10 characters) is one no
    // 13-character number of another test can have.
    String prefix = "+4477009" + digits(2);
    String normalPrefix = prefix;
    while (normalPrefix.equals(prefix)) {
      normalPrefix = "+4477009" + digits(2);
    }
    String perPrefix = before.path("perPrefix").toString();
    java.time.Instant started = java.time.Instant.now();
    manage(
        "PATCH",
        "/v1/management/send-policy",
        "{\"perPrefix\":{\"maxCount\":5,\"windowSeconds\":600},\"autoBlockSeconds\":600}");
    try {
      AtomicInteger accepted = new AtomicInteger();
      Http.Reply refused =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    Http.Reply reply = challenge(prefix + digits(4));
                    if (reply.status() == 200) {
                      accepted.incrementAndGet();
                    }
                    return reply;
                  },
                  r -> r.status() != 200);
      assertThat(refused.status()).as(refused.raw().body()).isEqualTo(429);
      assertThat(refused.body().path("error").asText()).isEqualTo("too_many_requests");
      assertThat(refused.body().path("errorDescription").asText())
          .isEqualTo(
              "SMS to this number range is temporarily blocked by the send policy; try again"
                  + " later.");
      assertThat(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 600L);
      // More than the limit went through before the block reached challenge-service (the guard
      // reacts to the traffic), but not unboundedly more.
      assertThat(accepted.get()).isGreaterThan(5).isLessThan(150);

      JsonNode policy = manage("GET", "/v1/management/send-policy", null);
      JsonNode block = null;
      for (JsonNode b : policy.path("blockedPrefixes")) {
        if (b.path("value").asText().equals(prefix)) {
          block = b;
        }
      }
      assertThat(block).as(policy.toString()).isNotNull();
      assertThat(block.path("reason").asText()).isEqualTo("prefix_velocity");
      assertThat(policy.path("updatedBy").asText()).isNotBlank();

      // Normal traffic passes and is delivered (a range of its own: while the limit is on, the
      // ranges that earlier tests sent to may be over it).
      String normal = normalPrefix + digits(4);
      assertThat(challenge(normal).status()).isEqualTo(200);
      assertThat(new Sandbox(stack, http).awaitCode(normal, 1)).hasSize(6);
      assertThat(challenge(prefix + digits(4)).status()).isEqualTo(429);
    } finally {
      manage("PATCH", "/v1/management/send-policy", "{\"perPrefix\":" + perPrefix + "}");
      // Lift whatever the guard blocked while the limit was on (this range, and any other that
      // traffic still in flight from earlier tests pushed over it), so later tests are unaffected.
      for (JsonNode b : manage("GET", "/v1/management/send-policy", null).path("blockedPrefixes")) {
        if (java.time.Instant.parse(b.path("blockedAt").asText())
            .isAfter(started.minusSeconds(5))) {
          manage(
              "DELETE",
              "/v1/management/send-policy/blocks/prefix/%2B"
                  + b.path("value").asText().substring(1),
              null);
        }
      }
    }
    // The lift reaches challenge-service too.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> challenge(prefix + digits(4)).status() == 200);
  }

  private Http.Reply challenge(String phone) {
    return http.post(
        stack.url("challenge") + "/v1/challenge",
        Http.basic(stack.apiSecret()),
        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\"" + phone + "\"}");
  }

  private static JsonNode manage(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.url("rules") + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + stack.managementSecret())
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode())
          .as(method + " " + path + ": " + response.body())
          .isLessThan(300);
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String digits(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(ThreadLocalRandom.current().nextInt(10));
    }
    return out.toString();
  }
}
