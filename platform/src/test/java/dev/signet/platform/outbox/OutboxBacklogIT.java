package dev.signet.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The outbox backlog gauge against the MongoDB-wire server with the real driver: the age of the
 * oldest unpublished event of each collection, on the Prometheus endpoint's names.
 */
class OutboxBacklogIT {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private static MongoServer server;
  private static MongoClient client;
  private static ReactiveMongoTemplate mongo;

  @BeforeAll
  static void start() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    mongo = new ReactiveMongoTemplate(client, "outbox-backlog-it");
  }

  @AfterAll
  static void stop() {
    client.close();
    server.shutdownNow();
  }

  @Test
  void reportsTheAgeOfTheOldestUnpublishedEventPerCollection() {
    // given: "orders" holds events of 30 s, 95 s (behind a newer one in its document) and 10 s,
    // and documents whose events were all published; "refunds" holds none
    insert("orders", "a", pending(NOW.minusSeconds(30)));
    insert("orders", "b", pending(NOW.minusSeconds(5)), pending(NOW.minusSeconds(95)));
    insert("orders", "c", pending(NOW.minusSeconds(10)));
    insert("orders", "published");
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OutboxBacklog backlog = backlog(meters, "orders", "refunds");

    // when
    backlog.measure().block(Duration.ofSeconds(10));

    // then
    String scrape = meters.scrape();
    assertThat(scrape)
        .contains("signet_outbox_oldest_age_seconds{collection=\"orders\"} 95.0")
        .contains("signet_outbox_oldest_age_seconds{collection=\"refunds\"} 0.0");
  }

  @Test
  void readsZeroOnceTheBacklogIsPublished() {
    // given
    insert("invoices", "x", pending(NOW.minusSeconds(300)));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OutboxBacklog backlog = backlog(meters, "invoices");
    backlog.measure().block(Duration.ofSeconds(10));
    assertThat(meters.scrape())
        .contains("signet_outbox_oldest_age_seconds{collection=\"invoices\"} 300.0");

    // when: the relay published it (the array stays, empty)
    mongo
        .getCollection("invoices")
        .flatMap(
            c ->
                reactor.core.publisher.Mono.from(
                    c.updateOne(
                        new Document("_id", "x"),
                        new Document("$set", new Document(Outbox.FIELD, List.of())))))
        .block(Duration.ofSeconds(10));
    backlog.measure().block(Duration.ofSeconds(10));

    // then
    assertThat(meters.scrape())
        .contains("signet_outbox_oldest_age_seconds{collection=\"invoices\"} 0.0");
  }

  private static OutboxBacklog backlog(PrometheusMeterRegistry meters, String... collections) {
    OutboxSettings settings =
        new OutboxSettings(
            List.of(collections),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            200);
    return new OutboxBacklog(
        mongo, Clock.fixed(NOW, ZoneOffset.UTC), settings, Duration.ofHours(1), meters);
  }

  private static Document pending(Instant createdAt) {
    return new Document("eventId", createdAt.toString()).append("createdAt", Date.from(createdAt));
  }

  private static void insert(String collection, String id, Document... events) {
    mongo
        .insert(new Document("_id", id).append(Outbox.FIELD, List.of(events)), collection)
        .block(Duration.ofSeconds(10));
  }
}
