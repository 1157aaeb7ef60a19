package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.e2e.stack.SmsStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Routes and failover on the packaged stack, with the sandbox's faults per provider and country: GB
 * is routed Vonage SMS API first, Twilio second. A Vonage that answers 5xx for GB has every code
 * delivered through Twilio; with both providers down each attempt fails after a bounded number of
 * calls (counted by the sandbox); once Vonage recovers, its circuit closes again and codes go
 * through it.
 */
class RouteFailoverIT {

  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String ROUTING = "/v1/management/send-policy/routing";
  private static final int MAX_PROVIDER_TRIES = 8;
  private static RunningStack stack;
  private final Http http = new Http();
  private final Sandbox sandbox;

  RouteFailoverIT() {
    this.sandbox = new Sandbox(RunningStack.get(), http);
  }

  @BeforeAll
  static void routeGreatBritainThroughVonageThenTwilio() {
    stack = RunningStack.get();
    JsonNode routing =
        manage(
            "PUT",
            "{\"rules\":[{\"country\":\"GB\",\"channel\":\"SMS\",\"routes\":["
                + "{\"provider\":\"vonage\",\"api\":\"sms\",\"weight\":100},"
                + "{\"provider\":\"twilio\",\"api\":\"messaging\"}]}]}");
    long version = routing.path("version").asLong();
    // The rules travel on the send policy's topic; the dispatcher says which version it holds.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> metric("signet_sms_routing_version", "") >= version);
  }

  @AfterEach
  void clearFaults() {
    arm("{\"mode\":\"ok\"}");
  }

  @AfterAll
  static void defaultRoutesAndAClosedVonageCircuit() {
    manage("PUT", "{\"rules\":[]}");
    // Leave Vonage as the tests found it: its circuit closed by real traffic (an open one would
    // hold the next test class's first sends until its half-open trial).
    Http http = new Http();
    SmsStore sms = new SmsStore(stack, http);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String phone = Sandbox.freshPhoneNumber();
              sms.challenge(phone);
              new Sandbox(stack, http).awaitCode(phone, 1);
              return breaker("closed") == 1.0;
            });
  }

  @Test
  void vonageFailingForACountryHasEveryCodeDeliveredThroughTwilio() {
    List<String> baseline = sendAll(20);
    List<Long> before = claimedToDispatched(attempts(baseline));

    arm("{\"mode\":\"error\",\"count\":-1,\"provider\":\"vonage\",\"country\":\"GB\"}");
    List<String> phones = freshPhones(30);
    List<String> challenges = phones.stream().map(this::challenge).toList();

    for (String phone : phones) {
      sandbox.awaitCode(phone, 1);
      JsonNode messages = sandbox.messages(phone);
      assertThat(messages).hasSize(1);
      assertThat(messages.get(0).path("api").asText()).isEqualTo("twilio");
    }
    List<Document> attempts = attempts(challenges);
    assertThat(attempts)
        .allSatisfy(
            a -> {
              assertThat(a.getString("state")).isEqualTo("SENT");
              assertThat(a.getString("route")).isEqualTo("twilio-messaging");
            });
    // The first ones called Vonage and failed over; once its circuit opened, the rest went to
    // Twilio without calling Vonage at all.
    List<Document> failedOver =
        attempts.stream()
            .filter(
                a ->
                    a.getList("routeFailures", String.class, List.of())
                        .contains("vonage-sms:PROVIDER_ERROR"))
            .toList();
    assertThat(failedOver).isNotEmpty();
    // Claim to provider acceptance, both inside the dispatcher: what a failover adds, without
    // the Kafka hop and the listener's queue, which are the same either way.
    List<Long> after = claimedToDispatched(failedOver);
    List<Long> skipped =
        claimedToDispatched(attempts.stream().filter(a -> !failedOver.contains(a)).toList());
    System.out.printf(
        "route failover: claim-to-accepted p50/p99 %d/%d ms on Vonage (n=%d), %d/%d ms failed over"
            + " from Vonage to Twilio (n=%d), %d/%d ms straight to Twilio with Vonage's circuit open"
            + " (n=%d)%n",
        percentile(before, 50),
        percentile(before, 99),
        before.size(),
        percentile(after, 50),
        percentile(after, 99),
        after.size(),
        percentile(skipped, 50),
        percentile(skipped, 99),
        skipped.size());
    assertThat(percentile(after, 99)).isLessThan(5_000);
  }

  @Test
  void bothProvidersDownFailEachAttemptAfterABoundedNumberOfCalls() {
    arm("{\"mode\":\"error\",\"count\":-1,\"provider\":\"vonage\",\"country\":\"GB\"}");
    arm("{\"mode\":\"error\",\"count\":-1,\"provider\":\"twilio\",\"country\":\"GB\"}");
    List<String> phones = freshPhones(10);
    List<String> challenges = phones.stream().map(this::challenge).toList();

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> allIn(attempts(challenges), challenges.size(), "FAILED"));
    List<Document> attempts = attempts(challenges);
    long calls = 0;
    for (Document a : attempts) {
      // Attempts that used their calls end with the last failure; once both circuits are open an
      // attempt calls nothing and waits for a half-open trial until its send deadline.
      assertThat(a.getString("failureReason"))
          .isIn("PROVIDER_ERROR", "CIRCUIT_OPEN", "DEADLINE_EXCEEDED");
      assertThat(a.getInteger("providerAttempts")).isLessThanOrEqualTo(MAX_PROVIDER_TRIES);
      calls += a.getInteger("providerAttempts");
    }
    // The sandbox counted every call it refused: exactly the calls the attempts made, at most
    // max-provider-calls each, and far fewer once both circuits opened.
    long counted = applied("vonage", "GB") + applied("twilio", "GB");
    System.out.printf(
        "both providers down: %d attempts failed after %d provider calls in all (at most %d"
            + " each)%n",
        attempts.size(), calls, MAX_PROVIDER_TRIES);
    assertThat(counted).isEqualTo(calls).isLessThanOrEqualTo(10L * MAX_PROVIDER_TRIES);
    for (String phone : phones) {
      assertThat(sandbox.messages(phone)).isEmpty();
    }
    RawKafka kafka = new RawKafka(stack);
    for (String challengeId : challenges) {
      assertThat(kafka.read("auth.sms.dispatch-failed.v1", challengeId)).hasSize(1);
    }
  }

  @Test
  void theVonageCircuitClosesAgainWhenVonageRecovers() {
    arm("{\"mode\":\"error\",\"count\":-1,\"provider\":\"vonage\",\"country\":\"GB\"}");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              sandbox.awaitCode(challengePhone(), 1);
              return breaker("open") == 1.0;
            });

    arm("{\"mode\":\"ok\"}");
    List<String> viaVonage = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String phone = challengePhone();
              sandbox.awaitCode(phone, 1);
              if ("sms".equals(sandbox.messages(phone).get(0).path("api").asText())) {
                viaVonage.add(phone);
              }
              return breaker("closed") == 1.0 && !viaVonage.isEmpty();
            });
    String after = challengePhone();
    sandbox.awaitCode(after, 1);
    assertThat(sandbox.messages(after).get(0).path("api").asText()).isEqualTo("sms");
  }

  private String challengePhone() {
    String phone = Sandbox.freshPhoneNumber();
    challenge(phone);
    return phone;
  }

  private List<String> sendAll(int count) {
    List<String> phones = freshPhones(count);
    List<String> challenges = phones.stream().map(this::challenge).toList();
    phones.forEach(p -> sandbox.awaitCode(p, 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> allIn(attempts(challenges), challenges.size(), "SENT"));
    return challenges;
  }

  /** Every one of {@code expected} attempts stored and in {@code state}, never vacuously. */
  private static boolean allIn(List<Document> attempts, int expected, String state) {
    return attempts.size() == expected
        && attempts.stream().allMatch(a -> state.equals(a.getString("state")));
  }

  private static List<String> freshPhones(int count) {
    return java.util.stream.Stream.generate(Sandbox::freshPhoneNumber).limit(count).toList();
  }

  private static List<Long> claimedToDispatched(List<Document> attempts) {
    List<Long> millis = new ArrayList<>();
    for (Document a : attempts) {
      Date dispatched = a.getDate("dispatchedAt");
      millis.add(dispatched.getTime() - a.getDate("claimedAt").getTime());
    }
    return millis;
  }

  private static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private String challenge(String phone) {
    return new SmsStore(stack, http).challenge(phone);
  }

  private void arm(String fault) {
    Http.Reply reply = http.post(stack.url("sandbox") + "/faults", null, fault);
    assertThat(reply.status()).as(reply.raw().body()).isBetween(200, 299);
  }

  /** Sends the sandbox's fault for a provider and country applied to: its call count. */
  private long applied(String provider, String country) {
    for (JsonNode scoped : http.get(stack.url("sandbox") + "/faults", null).body().path("scoped")) {
      if (provider.equals(scoped.path("provider").asText())
          && country.equals(scoped.path("country").asText())) {
        return scoped.path("applied").asLong();
      }
    }
    throw new AssertionError("no fault armed for " + provider + " " + country);
  }

  private static double breaker(String state) {
    return metric(
        "resilience4j_circuitbreaker_state", "name=\"vonage-sms\",state=\"" + state + "\"");
  }

  /** One sample of the dispatcher's Prometheus scrape whose labels contain {@code labels}. */
  private static double metric(String name, String labels) {
    String scrape =
        new Http()
            .getText(
                stack.url("dispatcher") + "/actuator/prometheus",
                "Bearer " + stack.managementSecret())
            .raw()
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
    while (m.find()) {
      if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  private List<Document> attempts(List<String> challengeIds) {
    return new SmsStore(stack, http)
        .find(
            "sms_attempts", Filters.in("_id", challengeIds.stream().map(id -> id + ":1").toList()));
  }

  private static JsonNode manage(String method, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.url("rules") + ROUTING))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + stack.managementSecret())
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method + ": " + response.body()).isEqualTo(200);
      return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
