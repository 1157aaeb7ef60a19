package dev.signet.audit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.audit.webhook.DeliveryQueue.NewDelivery;
import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.testsupport.InMemoryMongo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The delivery queue's atomic operations against the MongoDB-wire server. */
class WebhookStoreIT {

  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
  private DeliveryStore store;
  private EndpointStore endpoints;
  private DeliveryQueue queue;
  private final Instant now = Instant.parse("2026-12-01T10:00:00Z");

  @BeforeEach
  void freshDatabase() {
    String database = "webhooks-" + UUID.randomUUID();
    store = new DeliveryStore(MONGO.client().getDatabase(database));
    endpoints = new EndpointStore(MONGO.client().getDatabase(database));
    queue = new DeliveryQueue(MONGO.blockingClient().getDatabase(database));
    store.createIndexes().block();
  }

  private Endpoint endpoint(String id) {
    return new Endpoint(id, "https://hooks.example.com/in", List.of("*"), "", true, now, now, "t");
  }

  private static NewDelivery delivery(String endpointId, String eventId) {
    return new NewDelivery(
        WebhookIntake.deliveryId(endpointId, eventId),
        endpointId,
        eventId,
        "challenge.verified",
        "{\"id\":\"" + eventId + "\"}",
        State.PENDING,
        null);
  }

  @Test
  void aRedeliveredRecordQueuesNothingNew() {
    List<NewDelivery> batch = List.of(delivery("wh_a", "e1"), delivery("wh_a", "e2"));
    assertThat(queue.enqueue(batch, now)).isEqualTo(2);
    // The same records again (a Kafka redelivery), and again concurrently.
    assertThat(queue.enqueue(batch, now.plusSeconds(5))).isZero();
    Integer concurrent =
        Flux.range(0, 8)
            .flatMap(
                i ->
                    Mono.fromCallable(() -> queue.enqueue(batch, now))
                        .subscribeOn(Schedulers.parallel()))
            .reduce(0, Integer::sum)
            .block();
    assertThat(concurrent).isZero();
    assertThat(store.deliveries(null, null, null, 50).collectList().block()).hasSize(2);
  }

  @Test
  void concurrentClaimsNeverShareADelivery() {
    List<NewDelivery> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batch.add(delivery("wh_a", "e" + i));
    }
    queue.enqueue(batch, now);
    Set<String> claimed = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new ArrayList<>();
    Flux.range(0, 16)
        .flatMap(
            worker ->
                Mono.defer(() -> store.claim("wh_a", now, now.plusSeconds(60), "w" + worker))
                    .repeat(10)
                    .subscribeOn(Schedulers.parallel()),
            16)
        .doOnNext(
            d -> {
              if (!claimed.add(d.id())) {
                synchronized (duplicates) {
                  duplicates.add(d.id());
                }
              }
            })
        .blockLast();
    assertThat(duplicates).isEmpty();
    assertThat(claimed).hasSize(40);
    // Every one is leased: nothing is due until the lease ends.
    assertThat(store.claim("wh_a", now.plusSeconds(59), now.plusSeconds(120), "late").block())
        .isNull();
  }

  @Test
  void anExpiredLeaseIsClaimedAgainAndTheStaleHolderCannotRecordItsResult() {
    queue.enqueue(List.of(delivery("wh_a", "e1")), now);
    Delivery first = store.claim("wh_a", now, now.plusSeconds(60), "crashed").block();
    assertThat(first.attempts()).isEqualTo(1);
    Delivery second =
        store.claim("wh_a", now.plusSeconds(61), now.plusSeconds(121), "survivor").block();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(store.delivered(first.id(), "crashed", 200, now.plusSeconds(62)).block()).isFalse();
    assertThat(store.delivered(first.id(), "survivor", 200, now.plusSeconds(62)).block()).isTrue();
    Delivery done = store.delivery(first.id()).block();
    assertThat(done.state()).isEqualTo(State.DELIVERED);
    assertThat(done.lastStatusCode()).isEqualTo(200);
    assertThat(store.claim("wh_a", now.plusSeconds(500), now.plusSeconds(560), "x").block())
        .isNull();
  }

  @Test
  void aFailedAttemptWaitsForItsNextTimeAndAFinalOneMarksTheDeliveryFailed() {
    queue.enqueue(List.of(delivery("wh_a", "e1")), now);
    Delivery d = store.claim("wh_a", now, now.plusSeconds(60), "t1").block();
    store.attemptFailed(d.id(), "t1", 503, "HTTP 503", now.plusSeconds(10)).block();
    assertThat(store.claim("wh_a", now.plusSeconds(9), now.plusSeconds(69), "t2").block()).isNull();
    Delivery again = store.claim("wh_a", now.plusSeconds(10), now.plusSeconds(70), "t2").block();
    assertThat(again.lastError()).isEqualTo("HTTP 503");
    store.attemptFailed(d.id(), "t2", null, "timeout", null).block();
    Delivery failed = store.delivery(d.id()).block();
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.attempts()).isEqualTo(2);
    assertThat(failed.lastError()).isEqualTo("timeout");
  }

  @Test
  void redeliveryQueuesAFinishedDeliveryButNotOneInFlight() {
    queue.enqueue(List.of(delivery("wh_a", "e1")), now);
    Delivery d = store.claim("wh_a", now, now.plusSeconds(60), "t1").block();
    assertThat(store.redeliver(d.id(), now.plusSeconds(1), "operator:alice").block())
        .as("in flight")
        .isNull();
    store.attemptFailed(d.id(), "t1", null, "timeout", null).block();
    Delivery queued = store.redeliver(d.id(), now.plusSeconds(2), "operator:alice").block();
    assertThat(queued.state()).isEqualTo(State.PENDING);
    assertThat(queued.windowAttempts()).isZero();
    assertThat(queued.windowStart()).isEqualTo(now.plusSeconds(2));
    assertThat(queued.redeliveredBy()).isEqualTo("operator:alice");
    assertThat(store.claim("wh_a", now.plusSeconds(2), now.plusSeconds(62), "t2").block())
        .isNotNull();
    assertThat(store.redeliver("dlv_missing", now, "x").block()).isNull();
  }

  @Test
  void anEventOverTheSizeLimitIsRecordedFailedAndCannotBeRedelivered() {
    NewDelivery tooLarge =
        new NewDelivery(
            WebhookIntake.deliveryId("wh_a", "big"),
            "wh_a",
            "big",
            "challenge.verified",
            null,
            State.FAILED,
            "payload_too_large");
    queue.enqueue(List.of(tooLarge), now);
    assertThat(store.claim("wh_a", now, now.plusSeconds(60), "t").block()).isNull();
    assertThat(store.redeliver(tooLarge.id(), now, "operator:alice").block()).isNull();
    assertThat(store.delivery(tooLarge.id()).block().state()).isEqualTo(State.FAILED);
  }

  @Test
  void parallelRegistrationsNeverPassTheEndpointLimit() {
    List<Boolean> results =
        Flux.range(0, 30)
            .flatMap(
                i ->
                    endpoints
                        .register(endpoint("wh_" + i), 5)
                        .map(e -> true)
                        .onErrorResume(
                            EndpointStore.EndpointLimitReached.class, e -> Mono.just(false))
                        .subscribeOn(Schedulers.parallel()),
                30)
            .collectList()
            .block();
    assertThat(results.stream().filter(b -> b)).hasSize(5);
    assertThat(endpoints.endpoints().collectList().block()).hasSize(5);
    // Deleting one frees its slot, and deletes its deliveries.
    String id = endpoints.endpoints().blockFirst().id();
    queue.enqueue(List.of(delivery(id, "e1")), now);
    assertThat(endpoints.delete(id).block()).isTrue();
    assertThat(endpoints.delete(id).block()).isFalse();
    assertThat(store.deliveries(id, null, null, 10).collectList().block()).isEmpty();
    assertThat(endpoints.register(endpoint("wh_new"), 5).block()).isNotNull();
    assertThat(
            endpoints
                .register(endpoint("wh_over"), 5)
                .map(e -> true)
                .onErrorResume(EndpointStore.EndpointLimitReached.class, e -> Mono.just(false))
                .block())
        .isFalse();
  }

  @Test
  void theSweepDeletesOnlyFinishedDeliveriesOlderThanTheRetention() {
    queue.enqueue(List.of(delivery("wh_a", "old-done"), delivery("wh_a", "old-pending")), now);
    Delivery d = store.claim("wh_a", now, now.plusSeconds(60), "t").block();
    store.delivered(d.id(), "t", 200, now).block();
    assertThat(store.sweep(now.plus(Duration.ofDays(1))).block()).isEqualTo(1);
    assertThat(store.deliveries(null, null, null, 10).collectList().block())
        .extracting(Delivery::state)
        .containsExactly(State.PENDING);
  }
}
