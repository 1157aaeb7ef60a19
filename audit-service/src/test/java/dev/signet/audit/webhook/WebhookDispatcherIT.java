package dev.signet.audit.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.signet.audit.webhook.DeliveryQueue.NewDelivery;
import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.audit.webhook.domain.WebhookSignature;
import dev.signet.testsupport.InMemoryMongo;
import dev.signet.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher against real HTTP receivers (JDK servers standing in for an operator's systems)
 * and the MongoDB-wire server, on a clock the test moves.
 */
class WebhookDispatcherIT {

  private static final String SECRET = "dispatcher-test-secret";
  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();

  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final MutableClock clock = new MutableClock(Instant.now());
  private DeliveryStore store;
  private EndpointStore endpoints;
  private DeliveryQueue queue;
  private WebhookDispatcher dispatcher;

  @BeforeEach
  void freshStore() {
    String database = "dispatch-" + UUID.randomUUID();
    store = new DeliveryStore(MONGO.client().getDatabase(database));
    endpoints = new EndpointStore(MONGO.client().getDatabase(database));
    queue = new DeliveryQueue(MONGO.blockingClient().getDatabase(database));
    store.createIndexes().block();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (dispatcher != null) {
      dispatcher.stop();
    }
    servers.forEach(s -> s.stop(0));
  }

  static WebhookProperties properties(String allowPrivate, Duration responseTimeout) {
    return new WebhookProperties(
        true,
        SECRET,
        "signet",
        "signet",
        "g",
        20,
        65536,
        Duration.ofMillis(100),
        4,
        Duration.ofSeconds(2),
        responseTimeout,
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        Duration.ofHours(24),
        Duration.ofDays(30),
        allowPrivate);
  }

  private String serve(HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", handler);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    servers.add(server);
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private Endpoint endpoint(String id, String url) {
    Instant now = clock.instant();
    Endpoint endpoint = new Endpoint(id, url, List.of("*"), "", true, now, now, "t");
    endpoints.register(endpoint, 20).block();
    return endpoint;
  }

  private List<String> enqueue(String endpointId, int n) {
    List<NewDelivery> deliveries = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String eventId = UUID.randomUUID().toString();
      String id = WebhookIntake.deliveryId(endpointId, eventId);
      ids.add(id);
      deliveries.add(
          new NewDelivery(
              id,
              endpointId,
              eventId,
              "challenge.verified",
              "{\"version\":1,\"id\":\"" + eventId + "\"}",
              State.PENDING,
              null));
    }
    queue.enqueue(deliveries, clock.instant());
    return ids;
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Test
  void signsEachAttemptWithTheApiSecretAtTheTimeOfTheAttempt() throws Exception {
    ConcurrentLinkedQueue<String> verified = new ConcurrentLinkedQueue<>();
    String url =
        serve(
            exchange -> {
              String body =
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              String header = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
              long t = Long.parseLong(header.substring(2, header.indexOf(',')));
              String expected =
                  WebhookSignature.header(SECRET.getBytes(StandardCharsets.UTF_8), t, body);
              boolean fresh = Math.abs(t - clock.instant().getEpochSecond()) <= 1;
              if (header.equals(expected) && fresh) {
                verified.add(exchange.getRequestHeaders().getFirst("X-Signet-Event-Id"));
              }
              answer(exchange, header.equals(expected) && fresh ? 204 : 400);
            });
    dispatcher =
        new WebhookDispatcher(
            endpoints,
            store,
            properties("true", Duration.ofSeconds(5)),
            clock,
            new SimpleMeterRegistry());
    Endpoint endpoint = endpoint("wh_00000000000000000001", url);
    List<String> ids = enqueue(endpoint.id(), 3);
    dispatcher.tick().block();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> store.deliveries(endpoint.id(), State.DELIVERED, null, 10).count().block() == 3);
    assertThat(verified).hasSize(3);
    for (String id : ids) {
      Delivery d = store.delivery(id).block();
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.lastStatusCode()).isEqualTo(204);
    }
  }

  @Test
  void anEndpointThatHangsHoldsBackNoOther() throws Exception {
    String hanging =
        serve(
            exchange -> {
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              answer(exchange, 200);
            });
    String fast = serve(exchange -> answer(exchange, 200));
    Duration responseTimeout = Duration.ofSeconds(6);
    dispatcher =
        new WebhookDispatcher(
            endpoints,
            store,
            properties("true", responseTimeout),
            clock,
            new SimpleMeterRegistry());
    Endpoint slow = endpoint("wh_00000000000000000002", hanging);
    Endpoint quick = endpoint("wh_00000000000000000003", fast);
    List<String> slowIds = enqueue(slow.id(), 10);
    enqueue(quick.id(), 10);
    dispatcher.start();
    await()
        .atMost(responseTimeout)
        .until(() -> store.deliveries(quick.id(), State.DELIVERED, null, 20).count().block() == 10);
    // All ten went while the hanging endpoint held its four slots, before any of them ended: the
    // order of events, not a wall-clock bound, so a busy machine cannot fail it.
    assertThat(dispatcher.inFlight(slow.id())).isEqualTo(4);
    assertThat(slowIds.stream().map(id -> store.delivery(id).block().lastError()))
        .as("no hanging attempt has ended yet")
        .containsOnlyNulls();
    // The hanging attempts end at the response timeout and are scheduled again.
    await()
        .atMost(Duration.ofSeconds(25))
        .until(
            () ->
                slowIds.stream()
                        .map(id -> store.delivery(id).block())
                        .filter(d -> d.lastError() != null && d.lastError().startsWith("timeout"))
                        .count()
                    >= 4);
    assertThat(store.deliveries(slow.id(), State.DELIVERED, null, 20).count().block()).isZero();
  }

  @Test
  void neverConnectsToLoopbackOrPrivateAddressesWithoutTheDevelopmentOverride() throws Exception {
    ConcurrentLinkedQueue<String> reached = new ConcurrentLinkedQueue<>();
    String url =
        serve(
            exchange -> {
              reached.add("hit");
              answer(exchange, 200);
            });
    int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/hook", "$1"));
    dispatcher =
        new WebhookDispatcher(
            endpoints,
            store,
            properties("", Duration.ofSeconds(3)),
            clock,
            new SimpleMeterRegistry());
    // Registered behind the API's back (it would refuse them): the dispatcher checks again.
    Endpoint byName = endpoint("wh_00000000000000000004", "https://localhost:" + port + "/hook");
    Endpoint byAddress = endpoint("wh_00000000000000000005", "https://127.0.0.1:" + port + "/hook");
    Endpoint mapped =
        endpoint("wh_00000000000000000006", "https://[::ffff:127.0.0.1]:" + port + "/hook");
    Endpoint metadata = endpoint("wh_00000000000000000007", "https://169.254.169.254/latest");
    Endpoint decimal = endpoint("wh_00000000000000000009", "https://2130706433:" + port + "/hook");
    List<String> ids = new ArrayList<>();
    for (Endpoint e : List.of(byName, byAddress, mapped, metadata, decimal)) {
      ids.addAll(enqueue(e.id(), 1));
    }
    dispatcher.tick().block();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids.stream().allMatch(id -> store.delivery(id).block().lastError() != null));
    for (String id : ids) {
      assertThat(store.delivery(id).block().lastError()).as(id).startsWith("refused_address");
    }
    assertThat(reached).isEmpty();
  }

  @Test
  void retriesWithGrowingDelaysForTheRetryWindowThenMarksTheDeliveryFailed() throws Exception {
    ConcurrentLinkedQueue<Instant> attempts = new ConcurrentLinkedQueue<>();
    String url =
        serve(
            exchange -> {
              attempts.add(clock.instant());
              answer(exchange, 503);
            });
    dispatcher =
        new WebhookDispatcher(
            endpoints,
            store,
            properties("true", Duration.ofSeconds(3)),
            clock,
            new SimpleMeterRegistry());
    Endpoint endpoint = endpoint("wh_00000000000000000008", url);
    String id = enqueue(endpoint.id(), 1).get(0);
    Instant first = clock.instant();
    while (store.delivery(id).block().state() == State.PENDING) {
      Delivery before = store.delivery(id).block();
      if (before.nextAttemptAt().isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), before.nextAttemptAt()));
      }
      dispatcher.tick().block();
      int expected = before.attempts() + 1;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Delivery d = store.delivery(id).block();
                return d.attempts() == expected && d.leaseOwner() == null;
              });
    }
    Delivery failed = store.delivery(id).block();
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.lastStatusCode()).isEqualTo(503);
    assertThat(failed.lastError()).isEqualTo("HTTP 503");
    assertThat(Duration.between(first, failed.lastAttemptAt()))
        .isGreaterThanOrEqualTo(Duration.ofHours(24));
    assertThat(attempts).hasSize(failed.attempts());
    assertThat(failed.attempts()).isBetween(30, 45);
  }
}
