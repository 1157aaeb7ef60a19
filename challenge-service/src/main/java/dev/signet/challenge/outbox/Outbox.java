package dev.signet.challenge.outbox;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Transactional outbox without transactions: the embedded MongoDB-wire server has none, so events
 * live in an {@code outbox} array of the very document whose change they announce. The request path
 * publishes right after its write ({@link #publish}); {@link #relayLeftovers} catches up on
 * whatever a crash or a broker outage left behind. Delivery is at least once; consumers deduplicate
 * on the event id.
 */
@Component
public class Outbox {

  /** Name of the array field that holds pending events in every outbox-carrying document. */
  public static final String FIELD = "outbox";

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final KafkaTemplate<String, Object> kafka;
  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  private final Scheduler sender = Schedulers.newSingle("outbox-send");

  /**
   * Events published in the background whose removal from their document is still to be written.
   * Flushed as one bulk write per interval, so a request's state change stays its only write; the
   * interval is far below the relay's grace, so the relay never sees them.
   */
  private final Queue<Ack> pendingAcks = new ConcurrentLinkedQueue<>();

  private final Disposable ackFlusher;

  Outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      @Value("${signet.challenge.outbox-ack-interval:1s}") Duration ackInterval) {
    this.kafka = kafka;
    this.mongo = mongo;
    this.clock = clock;
    this.ackFlusher =
        Flux.interval(ackInterval, ackInterval)
            .onBackpressureDrop()
            .concatMap(tick -> flushAcks(), 1)
            .subscribe();
  }

  @PreDestroy
  void close() {
    ackFlusher.dispose();
    // What is acknowledged but unwritten would otherwise be published again by the relay.
    flushAcks().block(PUBLISH_TIMEOUT);
    sender.dispose();
  }

  /** Wraps an event for storage in the document that announces it. */
  public OutboxEvent wrap(String eventId, String topic, String key, SpecificRecord event) {
    return new OutboxEvent(
        eventId, topic, key, event.getClass().getName(), AvroBytes.encode(event), clock.instant());
  }

  /**
   * Publishes the given pending events of one document; completes once each was acknowledged by the
   * broker and removed from its document, or at the deadline, leaving the rest to the relay. Never
   * fails the caller. Sends run in call order on one thread, so the events of one aggregate keep
   * their order; removals are batched into bulk writes.
   */
  public Mono<Void> publish(String collection, Object documentId, List<OutboxEvent> events) {
    return Flux.fromIterable(events)
        .concatMap(event -> send(event).then(remove(collection, documentId, event.eventId())))
        .then()
        .timeout(PUBLISH_TIMEOUT)
        .onErrorResume(
            e -> {
              log.warn(
                  "outbox publish deferred to relay collection={} id={} reason={}",
                  collection,
                  documentId,
                  e.toString());
              return Mono.empty();
            });
  }

  /**
   * Publishes like {@link #publish} but returns at once: the state change is already durable with
   * its events, so a response need not wait for the broker. The published events leave their
   * document in the next batched flush rather than in a write of their own.
   */
  public Mono<Void> publishInBackground(
      String collection, Object documentId, List<OutboxEvent> events) {
    Flux.fromIterable(events)
        .concatMap(
            event ->
                send(event)
                    .doOnSuccess(
                        sent -> pendingAcks.add(new Ack(collection, documentId, event.eventId()))))
        .then()
        .timeout(PUBLISH_TIMEOUT)
        .subscribe(
            null,
            e ->
                log.warn(
                    "outbox publish deferred to relay collection={} id={} reason={}",
                    collection,
                    documentId,
                    e.toString()));
    return Mono.empty();
  }

  /**
   * Writes the removals of the events published in the background so far, one bulk per collection.
   */
  Mono<Void> flushAcks() {
    List<Ack> batch = new ArrayList<>();
    for (Ack ack = pendingAcks.poll(); ack != null; ack = pendingAcks.poll()) {
      batch.add(ack);
    }
    if (batch.isEmpty()) {
      return Mono.empty();
    }
    Map<String, List<Ack>> byCollection =
        batch.stream().collect(Collectors.groupingBy(Ack::collection));
    return Flux.fromIterable(byCollection.entrySet())
        .concatMap(
            entry -> {
              ReactiveBulkOperations bulk = mongo.bulkOps(BulkMode.UNORDERED, entry.getKey());
              for (Ack ack : entry.getValue()) {
                bulk.updateOne(
                    Query.query(Criteria.where("_id").is(ack.documentId())),
                    new Update().pull(FIELD, new Document("eventId", ack.eventId())));
              }
              return bulk.execute();
            })
        .then()
        .onErrorResume(
            e -> {
              // Left in their documents, they are published again by the relay: at least once.
              log.warn("outbox removals failed count={} reason={}", batch.size(), e.toString());
              return Mono.empty();
            });
  }

  /** Publishes events older than {@code grace} from the given collection; returns how many. */
  public Mono<Long> relayLeftovers(String collection, Duration grace, int batch) {
    Instant cutoff = clock.instant().minus(grace);
    Query query = Query.query(Criteria.where(FIELD + ".createdAt").lt(cutoff)).limit(batch);
    query.fields().include(FIELD);
    return mongo
        .find(query, Document.class, collection)
        .concatMap(
            doc ->
                Flux.fromIterable(pending(doc))
                    .filter(event -> event.createdAt().isBefore(cutoff))
                    .concatMap(
                        event ->
                            send(event)
                                .then(remove(collection, doc.get("_id"), event.eventId()))
                                .thenReturn(1L)))
        .reduce(0L, Long::sum);
  }

  private Mono<Void> send(OutboxEvent event) {
    SpecificRecord record = AvroBytes.decode(event.type(), event.payload());
    // send() can block (metadata, a registry lookup on a cold schema cache, a full buffer), so it
    // never runs on a Netty or MongoDB driver thread.
    return Mono.fromFuture(() -> kafka.send(event.topic(), event.key(), record))
        .subscribeOn(sender)
        .doOnNext(
            result ->
                log.info(
                    "event published topic={} key={} eventId={} partition={} offset={}",
                    event.topic(),
                    event.key(),
                    event.eventId(),
                    result.getRecordMetadata().partition(),
                    result.getRecordMetadata().offset()))
        .then();
  }

  private Mono<Void> remove(String collection, Object documentId, String eventId) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(documentId)),
            new Update().pull(FIELD, new Document("eventId", eventId)),
            collection)
        .then();
  }

  private record Ack(String collection, Object documentId, String eventId) {}

  @SuppressWarnings("unchecked")
  private static List<OutboxEvent> pending(Document doc) {
    List<Document> raw = (List<Document>) doc.getOrDefault(FIELD, List.of());
    return raw.stream()
        .map(
            d ->
                new OutboxEvent(
                    d.getString("eventId"),
                    d.getString("topic"),
                    d.getString("key"),
                    d.getString("type"),
                    d.get("payload", org.bson.types.Binary.class).getData(),
                    d.getDate("createdAt").toInstant()))
        .toList();
  }
}
