package dev.signet.e2e.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.action.ActionCalls;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Distributed traces through the packaged stack, read back from its Zipkin server's HTTP API: a
 * sign-in challenge (request, outbox, Kafka, dispatcher, provider call, audit) and a tracked action
 * (request, decision request and reply through rules-service) are each one trace with spans from
 * every service on their path, none carrying the code or the phone number; the trace id is in the
 * services' log lines and in the audit views, and the challenge view links to the trace.
 */
class TracingIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static RunningStack stack;
  private static ActionCalls calls;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    calls = new ActionCalls(stack, new Http());
    calls.awaitDecisionsInTime();
  }

  @Test
  void aSignInChallengeIsOneTraceAcrossEveryServiceWithoutCodeOrNumber() {
    String phone = Sandbox.freshPhoneNumber();
    Http.Reply requested =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            calls.auth(),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(requested.status()).as(requested.raw().body()).isEqualTo(200);
    String challengeId = requested.body().path("challengeId").asText();
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    Http.Reply verified =
        http.post(
            stack.url("challenge") + "/v1/verify",
            calls.auth(),
            "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw().body()).isTrue();

    JsonNode view = awaitView("/v1/audit/challenges/" + challengeId, "traceId");
    String traceId = view.path("traceId").asText();
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(view.path("traceUrl").asText())
        .isEqualTo(stack.url("zipkin") + "/zipkin/traces/" + traceId);

    List<JsonNode> spans =
        awaitTrace(
            traceId,
            // Each service exports its spans in batches of its own: wait for every service's.
            span -> has(span, "challenge-service", "SERVER", null),
            span -> has(span, "sms-dispatcher", "CLIENT", "provider send"),
            span -> has(span, "rules-service", "CONSUMER", "auth.challenge.requested.v1 process"),
            span -> has(span, "audit-service", "CONSUMER", "auth.challenge.requested.v1 process"));
    assertThat(services(spans))
        .contains("challenge-service", "sms-dispatcher", "rules-service", "audit-service");
    assertThat(spans)
        .anyMatch(
            s -> has(s, "challenge-service", "SERVER", null) && tag(s, "uri", "/v1/challenge"))
        .anyMatch(
            s -> has(s, "challenge-service", "CLIENT", null) && tag(s, "db.system", "mongodb"))
        .anyMatch(
            s ->
                has(s, "challenge-service", "PRODUCER", null)
                    && tag(s, "messaging.destination.name", "auth.challenge.requested.v1"))
        .anyMatch(s -> has(s, "sms-dispatcher", "CONSUMER", "auth.challenge.requested.v1 process"))
        .anyMatch(s -> has(s, "sms-dispatcher", "CLIENT", null) && tag(s, "db.system", "mongodb"))
        .anyMatch(
            s ->
                has(s, "sms-dispatcher", "CLIENT", "provider send")
                    && "vonage".equals(s.path("remoteEndpoint").path("serviceName").asText()))
        .anyMatch(
            s ->
                has(s, "sms-dispatcher", "PRODUCER", null)
                    && tag(s, "messaging.destination.name", "auth.sms.dispatched.v1"))
        .anyMatch(s -> has(s, "rules-service", "CONSUMER", "auth.sms.dispatched.v1 process"));
    assertNoSecrets(spans, code, phone);
    assertLogged(traceId, "challenge", "dispatcher");
  }

  @Test
  void aTrackedActionIsOneTraceThroughTheDecisionRequestAndReply() {
    String action = ActionCalls.uniqueAction("e2eTrace");
    String userId = ActionCalls.uniqueUser("e2e-trace");
    String phone = calls.enrol(userId);
    Http.Reply tracked = calls.track(userId, action, "{\"ipAddress\":\"203.0.113.7\"}");
    assertThat(tracked.status()).as(tracked.raw().body()).isEqualTo(200);
    assertThat(tracked.body().path("state").asText()).isEqualTo("CHALLENGE_REQUIRED");
    String token = tracked.body().path("token").asText();
    String key = tracked.body().path("idempotencyKey").asText();

    Http.Reply sent =
        http.post(stack.url("challenge") + "/v1/client/challenge/sms", "Bearer " + token, "{}");
    assertThat(sent.status()).as(sent.raw().body()).isEqualTo(200);
    String code = new Sandbox(stack, http).awaitCode(phone, 1);
    Http.Reply verified =
        http.post(
            stack.url("challenge") + "/v1/client/verify/sms",
            "Bearer " + token,
            "{\"verificationCode\":\"" + code + "\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw().body()).isTrue();
    Http.Reply validated = calls.validate(verified.body().path("accessToken").asText());
    assertThat(validated.body().path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");

    JsonNode actionView =
        awaitView(
            "/v1/audit/users/" + encode(userId) + "/actions/" + encode(action) + "/" + encode(key),
            "traceId");
    String traceId = actionView.path("traceId").asText();
    List<JsonNode> spans =
        awaitTrace(
            traceId,
            // Each service exports its spans in batches of its own: wait for every one's.
            span -> has(span, "challenge-service", "CONSUMER", "auth.action.decided.v1 process"),
            span -> has(span, "rules-service", "PRODUCER", null),
            span -> has(span, "audit-service", "CONSUMER", "auth.action.tracked.v1 process"));
    assertThat(spans)
        .anyMatch(s -> has(s, "challenge-service", "SERVER", null) && tag(s, "method", "POST"))
        .anyMatch(
            s -> has(s, "challenge-service", "CLIENT", null) && tag(s, "db.system", "mongodb"))
        .anyMatch(
            s ->
                has(s, "challenge-service", "PRODUCER", null)
                    && tag(s, "messaging.destination.name", "auth.action.tracked.v1"))
        .anyMatch(s -> has(s, "rules-service", "CONSUMER", "auth.action.tracked.v1 process"))
        .anyMatch(s -> has(s, "rules-service", "CLIENT", null) && tag(s, "db.system", "mongodb"))
        .anyMatch(
            s ->
                has(s, "rules-service", "PRODUCER", null)
                    && tag(s, "messaging.destination.name", "auth.action.decided.v1"));
    assertNoSecrets(spans, code, phone);

    // The challenge the action asked for is a trace of its own, through the provider call.
    String challengeId = actionView.path("challengeIds").path(0).asText();
    assertThat(challengeId).isNotBlank();
    String challengeTrace =
        awaitView("/v1/audit/challenges/" + challengeId, "traceId").path("traceId").asText();
    List<JsonNode> challengeSpans =
        awaitTrace(challengeTrace, span -> has(span, "sms-dispatcher", "CLIENT", "provider send"));
    assertThat(services(challengeSpans)).contains("challenge-service", "sms-dispatcher");
    assertNoSecrets(challengeSpans, code, phone);
    assertLogged(traceId, "challenge", "rules");
  }

  /** The audit view at {@code path} once it has the given member. */
  private JsonNode awaitView(String path, String member) {
    AtomicReference<JsonNode> view = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Http.Reply reply =
                  http.get(stack.url("audit") + path, "Bearer " + stack.managementSecret());
              view.set(reply.body());
              return reply.status() == 200 && reply.body().path(member).isTextual();
            });
    return view.get();
  }

  /** The trace's spans once each condition matches one of them (spans are exported in batches). */
  @SafeVarargs
  private List<JsonNode> awaitTrace(String traceId, Predicate<JsonNode>... wanted) {
    AtomicReference<List<JsonNode>> spans = new AtomicReference<>(List.of());
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              // 404 (plain text) until the first span of the trace arrives.
              Http.Reply reply =
                  http.getText(stack.url("zipkin") + "/api/v2/trace/" + traceId, null);
              assertThat(reply.status()).as("trace %s", traceId).isEqualTo(200);
              List<JsonNode> found = new ArrayList<>();
              JSON.readTree(reply.raw().body()).forEach(found::add);
              spans.set(found);
              for (int i = 0; i < wanted.length; i++) {
                assertThat(found)
                    .as("condition %s in trace %s", i, summary(found))
                    .anyMatch(wanted[i]);
              }
            });
    assertThat(spans.get()).allMatch(s -> traceId.equals(s.path("traceId").asText()));
    return spans.get();
  }

  /** One line per span: service, kind, name and destination, for failure messages. */
  private static String summary(List<JsonNode> spans) {
    StringBuilder b = new StringBuilder();
    for (JsonNode s : spans) {
      b.append('\n')
          .append(s.path("localEndpoint").path("serviceName").asText())
          .append(' ')
          .append(s.path("kind").asText())
          .append(' ')
          .append(s.path("name").asText())
          .append(' ')
          .append(s.path("tags").path("messaging.destination.name").asText());
    }
    return b.toString();
  }

  private static boolean has(JsonNode span, String service, String kind, String name) {
    return service.equals(span.path("localEndpoint").path("serviceName").asText())
        && kind.equals(span.path("kind").asText())
        && (name == null || name.equals(span.path("name").asText()));
  }

  private static boolean tag(JsonNode span, String key, String value) {
    return value.equals(span.path("tags").path(key).asText());
  }

  private static Set<String> services(List<JsonNode> spans) {
    Set<String> services = new TreeSet<>();
    spans.forEach(s -> services.add(s.path("localEndpoint").path("serviceName").asText()));
    return services;
  }

  /**
   * No span's name, tags or annotations hold the code or the number (with or without its plus):
   * every text a trace backend shows. Timestamps and durations are numbers of their own, left out
   * so that a code cannot match inside one by chance.
   */
  private static void assertNoSecrets(List<JsonNode> spans, String code, String phone) {
    String digits = phone.substring(1);
    for (JsonNode span : spans) {
      List<String> texts = new ArrayList<>();
      texts.add(span.path("name").asText());
      span.path("tags")
          .properties()
          .forEach(e -> texts.add(e.getKey() + "=" + e.getValue().asText()));
      span.path("annotations").forEach(a -> texts.add(a.path("value").asText()));
      texts.add(span.path("remoteEndpoint").toString());
      for (String text : texts) {
        assertThat(text).as("span %s", span).doesNotContain(code).doesNotContain(digits);
      }
    }
  }

  /** A line of each named component's log carries the trace id. */
  private static void assertLogged(String traceId, String... components) {
    for (String component : components) {
      Path log = stack.dataDir().resolve("logs").resolve(component + ".log");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(read(log)).as(log.toString()).contains(traceId));
    }
  }

  private static String read(Path log) {
    try {
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
