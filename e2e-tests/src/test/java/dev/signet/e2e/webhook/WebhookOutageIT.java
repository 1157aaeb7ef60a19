package dev.signet.e2e.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.e2e.browser.NodeProject;
import dev.signet.e2e.stack.ExtraServiceInstance;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A receiver outage of ten minutes, then every event delivered exactly once per event id.
 *
 * <p>An audit-service process of the test's own (its own database and consumer groups, the audit
 * topic relay off) reads the shared stack's audit topic and reads its clock offset from a file the
 * test moves forward ({@code signet.audit.testing.clock-offset-file}), so the retry schedule runs
 * through ten simulated minutes in well under one real one. The receivers are JDK HTTP servers in
 * the test, standing in for an operator's own systems: one answers 503 for the ten minutes and 200
 * afterwards and counts deliveries by the event's {@code id}; the other accepts connections and
 * never answers. A second instance on the same queue then reads the whole audit topic again and
 * sends nothing more; the deliveries the receiver accepted are checked with the official SDK's
 * {@code Webhook.constructEvent} (Node), and a manual redelivery sends the same event again, once.
 */
class WebhookOutageIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> TYPES = List.of("challenge.requested", "sms.dispatched");
  private static final int CHALLENGES = 8;

  private final Http http = new Http();

  /** The receiver: 503 while down, 200 when up; what it saw, by event id. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final AtomicBoolean up = new AtomicBoolean(false);
    final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    final Map<String, JsonNode> events = new ConcurrentHashMap<>();
    final List<Map<String, String>> acceptedDeliveries =
        java.util.Collections.synchronizedList(new ArrayList<>());

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode event = JSON.readTree(body);
      String id = event.path("id").asText();
      events.putIfAbsent(id, event);
      int status;
      if (up.get()) {
        accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        acceptedDeliveries.add(
            Map.of(
                "payload",
                body,
                "signature",
                String.valueOf(exchange.getRequestHeaders().getFirst("X-Signature-V2"))));
        status = 200;
      } else {
        refused.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        status = 503;
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/signet-webhooks";
    }

    /** The event ids of our challenges' events it has seen. */
    Set<String> idsFor(Set<String> challengeIds) {
      Set<String> ids = new HashSet<>();
      events.forEach(
          (id, e) -> {
            if (challengeIds.contains(e.path("data").path("challengeId").asText())) {
              ids.add(id);
            }
          });
      return ids;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void aTenMinuteOutageEndsWithEveryEventDeliveredExactlyOncePerEventId() throws Exception {
    RunningStack stack = RunningStack.get();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path offsetFile =
        RunningStack.repositoryRoot().resolve("e2e-tests/target/webhook-clock-" + run + ".txt");
    Files.writeString(offsetFile, "PT0S");
    String mongo = stack.description().path("components").path("mongo").path("url").asText();
    Map<String, String> environment =
        Map.of(
            "SIGNET_MONGODB_URI",
            mongo + "/signet-webhooks-" + run,
            // Views of its own from now on; webhooks from the whole audit topic (a new group).
            "SPRING_KAFKA_CONSUMER_GROUP_ID",
            "audit-service-e2e-" + run,
            "SPRING_KAFKA_CONSUMER_AUTO_OFFSET_RESET",
            "latest",
            "SIGNET_WEBHOOKS_CONSUMER_GROUP",
            "audit-service-webhooks-e2e-" + run,
            "SIGNET_AUDIT_PUBLISHENABLED",
            "false",
            "SIGNET_TESTING_CLOCK_OFFSET_FILE",
            offsetFile.toString(),
            "SIGNET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES",
            "true");
    CountDownLatch hangUntilDone = new CountDownLatch(1);
    HttpServer hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hanging.createContext(
        "/",
        exchange -> {
          try {
            hangUntilDone.await(5, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    hanging.setExecutor(Executors.newCachedThreadPool());
    hanging.start();
    try (Receiver receiver = new Receiver();
        ExtraServiceInstance audit =
            ExtraServiceInstance.auditService(stack, "webhooks", environment)) {
      String management = "Bearer " + stack.managementSecret();
      String endpointId = register(audit.url(), management, receiver.url());
      String hangingId =
          register(
              audit.url(),
              management,
              "http://127.0.0.1:" + hanging.getAddress().getPort() + "/never-answers");

      // Events while the receiver is down: challenges and their sends.
      Set<String> challengeIds = new HashSet<>();
      for (int i = 0; i < CHALLENGES; i++) {
        Http.Reply reply =
            http.post(
                stack.url("challenge") + "/v1/challenge",
                Http.basic(stack.apiSecret()),
                "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                    + Sandbox.freshPhoneNumber()
                    + "\",\"userId\":\"webhook-"
                    + run
                    + "-"
                    + i
                    + "\"}");
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        challengeIds.add(reply.body().path("challengeId").asText());
      }
      int expectedEvents = CHALLENGES * TYPES.size();
      await("every event attempted once while the receiver is down")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> receiver.idsFor(challengeIds).size() == expectedEvents);
      Instant outageStart = Instant.now();

      // Ten simulated minutes of 503s, a minute at a time; each step waits until nothing is due.
      for (int minute = 1; minute <= 10; minute++) {
        Duration offset = Duration.ofMinutes(minute);
        Files.writeString(offsetFile, offset.toString());
        awaitNothingDue(audit.url(), management, endpointId, offset);
      }
      Set<String> ours = receiver.idsFor(challengeIds);
      for (String id : ours) {
        assertThat(receiver.refused.get(id).get())
            .as("503s for %s during the outage", id)
            .isGreaterThanOrEqualTo(4);
      }
      assertThat(receiver.accepted).isEmpty();

      // The receiver is back; the clock moves on until the retries reach it.
      receiver.up.set(true);
      for (int minute = 15; minute <= 40; minute += 5) {
        Duration offset = Duration.ofMinutes(minute);
        Files.writeString(offsetFile, offset.toString());
        awaitNothingDue(audit.url(), management, endpointId, offset);
      }
      await("every event delivered")
          .atMost(Duration.ofSeconds(60))
          .until(() -> receiver.accepted.keySet().containsAll(ours));
      // Nothing more arrives: exactly one accepted delivery per event id.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> receiver.accepted.values().stream().allMatch(n -> n.get() == 1));
      receiver.accepted.forEach(
          (id, n) -> assertThat(n.get()).as("deliveries of %s", id).isEqualTo(1));
      assertThat(ours).hasSize(expectedEvents);
      Set<String> types = new HashSet<>();
      ours.forEach(id -> types.add(receiver.events.get(id).path("type").asText()));
      assertThat(types).containsExactlyInAnyOrderElementsOf(TYPES);
      System.out.printf(
          "webhook outage: %d events, %d-%d refused attempts each over 10 simulated minutes"
              + " (%d s real), each delivered once%n",
          ours.size(),
          ours.stream().mapToInt(id -> receiver.refused.get(id).get()).min().orElse(0),
          ours.stream().mapToInt(id -> receiver.refused.get(id).get()).max().orElse(0),
          Duration.between(outageStart, Instant.now()).toSeconds());

      // The delivery log agrees: delivered, attempts = refusals + 1, last status 200.
      JsonNode log =
          http.get(
                  audit.url()
                      + "/v1/audit/webhooks/deliveries?endpointId="
                      + endpointId
                      + "&limit=200",
                  management)
              .body();
      int checked = 0;
      for (JsonNode item : log.path("items")) {
        String id = item.path("eventId").asText();
        if (!ours.contains(id)) {
          continue;
        }
        checked++;
        assertThat(item.path("state").asText()).isEqualTo("DELIVERED");
        assertThat(item.path("attempts").asInt()).isEqualTo(receiver.refused.get(id).get() + 1);
        assertThat(item.path("lastStatusCode").asInt()).isEqualTo(200);
      }
      assertThat(checked).isEqualTo(expectedEvents);

      // The endpoint that never answers held back nothing, and its attempts time out.
      JsonNode stuck =
          http.get(
                  audit.url()
                      + "/v1/audit/webhooks/deliveries?endpointId="
                      + hangingId
                      + "&state=DELIVERED",
                  management)
              .body();
      assertThat(stuck.path("items")).isEmpty();
      await("the hanging endpoint's attempts time out")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                JsonNode items =
                    http.get(
                            audit.url() + "/v1/audit/webhooks/deliveries?endpointId=" + hangingId,
                            management)
                        .body()
                        .path("items");
                for (JsonNode item : items) {
                  if (item.path("lastError").asText().startsWith("timeout")) {
                    return true;
                  }
                }
                return false;
              });

      // Every accepted delivery verifies with the official SDK; tampered copies do not.
      Path recorded =
          RunningStack.repositoryRoot()
              .resolve("e2e-tests/target/webhook-deliveries-" + run + ".json");
      ArrayNode array = JSON.createArrayNode();
      synchronized (receiver.acceptedDeliveries) {
        receiver.acceptedDeliveries.forEach(
            d ->
                array
                    .addObject()
                    .put("payload", d.get("payload"))
                    .put("signature", d.get("signature")));
      }
      Files.writeString(recorded, JSON.writeValueAsString(array));
      NodeProject node = new NodeProject(RunningStack.repositoryRoot().resolve("e2e-tests/node"));
      node.install("@authsignal/node");
      NodeProject.Run verify =
          node.run(
              List.of("node", "lib/verify-webhooks.mjs", recorded.toString()),
              Map.of("SIGNET_API_SECRET", stack.apiSecret()),
              60);
      assertThat(verify.exitCode()).as(String.join("\n", verify.output())).isZero();
      assertThat(verify.output()).contains("verified " + array.size());

      // A second instance on the same queue reads the whole audit topic again (a consumer group of
      // its own: every record redelivered). It finds each delivery already queued and sends
      // nothing.
      Map<String, String> second = new java.util.HashMap<>(environment);
      second.put("SPRING_KAFKA_CONSUMER_GROUP_ID", "audit-service-e2e-" + run + "-2");
      second.put("SIGNET_WEBHOOKS_CONSUMER_GROUP", "audit-service-webhooks-e2e-" + run + "-2");
      try (ExtraServiceInstance again =
          ExtraServiceInstance.auditService(stack, "webhooks-2", second)) {
        await("the second instance re-read our events")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> duplicatesSeen(again.url(), management) >= expectedEvents);
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> receiver.accepted.values().stream().allMatch(n -> n.get() == 1));
      }

      // The webhooks' consumer group has read the whole audit topic.
      await("the webhook feed caught up")
          .atMost(Duration.ofSeconds(30))
          .until(() -> metric(audit.url(), management, "signet_webhook_consumer_lag") == 0);

      // A manual redelivery sends the same event (same id, same bytes) once more.
      String some = ours.iterator().next();
      JsonNode entry =
          http.get(
                  audit.url()
                      + "/v1/audit/webhooks/deliveries?endpointId="
                      + endpointId
                      + "&eventId="
                      + some,
                  management)
              .body()
              .path("items")
              .get(0);
      Http.Reply redeliver =
          http.post(
              audit.url()
                  + "/v1/audit/webhooks/deliveries/"
                  + entry.path("deliveryId").asText()
                  + "/redeliver",
              management,
              "");
      assertThat(redeliver.status()).as(redeliver.raw().body()).isEqualTo(202);
      await("the redelivery")
          .atMost(Duration.ofSeconds(30))
          .until(() -> receiver.accepted.get(some).get() == 2);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> receiver.accepted.get(some).get() == 2);
      List<String> bodies = new ArrayList<>();
      synchronized (receiver.acceptedDeliveries) {
        receiver.acceptedDeliveries.stream()
            .filter(d -> d.get("payload").contains(some))
            .forEach(d -> bodies.add(d.get("payload")));
      }
      assertThat(bodies).hasSize(2);
      assertThat(bodies.get(1)).isEqualTo(bodies.get(0));
    } finally {
      hangUntilDone.countDown();
      hanging.stop(0);
      Files.deleteIfExists(offsetFile);
    }
  }

  /** An untagged metric of an instance, -2 when absent. */
  private double metric(String auditUrl, String management, String name) {
    String metrics = http.getText(auditUrl + "/actuator/prometheus", management).raw().body();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "^" + name + "(?:\\{[^}]*\\})? ([0-9.Ee+-]+)$", java.util.regex.Pattern.MULTILINE)
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -2;
  }

  /** {@code signet_webhook_deliveries_queued_total{result="duplicate"}} of an instance. */
  private double duplicatesSeen(String auditUrl, String management) {
    String metrics = http.getText(auditUrl + "/actuator/prometheus", management).raw().body();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "^signet_webhook_deliveries_queued_total\\{[^}]*result=\"duplicate\"[^}]*\\}"
                    + " ([0-9.Ee+-]+)$",
                java.util.regex.Pattern.MULTILINE)
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private String register(String auditUrl, String management, String url) {
    Http.Reply reply =
        http.post(
            auditUrl + "/v1/audit/webhooks",
            management,
            "{\"url\":\""
                + url
                + "\",\"eventTypes\":[\"challenge.requested\",\"sms.dispatched\"]}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
    return reply.body().path("endpointId").asText();
  }

  /**
   * Waits until no attempt of the endpoint is in flight and every pending delivery is next due
   * after the service's now, so that moving the clock on never overtakes an attempt's lease.
   */
  private void awaitNothingDue(
      String auditUrl, String management, String endpointId, Duration offset) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Instant serviceNow = Instant.now().plus(offset);
              JsonNode items =
                  http.get(
                          auditUrl
                              + "/v1/audit/webhooks/deliveries?endpointId="
                              + endpointId
                              + "&state=PENDING&limit=200",
                          management)
                      .body()
                      .path("items");
              for (JsonNode item : items) {
                if (item.path("attempting").asBoolean()
                    || !Instant.parse(item.path("nextAttemptAt").asText()).isAfter(serviceNow)) {
                  return false;
                }
              }
              return true;
            });
  }
}
