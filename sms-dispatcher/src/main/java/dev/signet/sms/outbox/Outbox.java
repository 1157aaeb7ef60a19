package dev.signet.sms.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
  private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  Outbox(KafkaTemplate<String, Object> kafka, ReactiveMongoTemplate mongo, Clock clock) {
    this.kafka = kafka;
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Wraps an event for storage in the document that announces it. */
  public OutboxEvent wrap(String eventId, String topic, String key, SpecificRecord event) {
    return new OutboxEvent(
        eventId, topic, key, event.getClass().getName(), AvroBytes.encode(event), clock.instant());
  }

  /** The stored form of a pending event, for {@code $push} into the document's outbox array. */
  public static Document toDocument(OutboxEvent event) {
    return new Document("eventId", event.eventId())
        .append("topic", event.topic())
        .append("key", event.key())
        .append("type", event.type())
        .append("payload", new org.bson.types.Binary(event.payload()))
        .append("createdAt", java.util.Date.from(event.createdAt()));
  }

  /**
   * Publishes the given pending events of one document and removes each from the document once the
   * broker acknowledged it. Failures are logged and left for the relay; they never fail the caller.
   */
  public Mono<Void> publish(String collection, Object documentId, List<OutboxEvent> events) {
    return Flux.fromIterable(events)
        .concatMap(event -> send(event).then(remove(collection, documentId, event.eventId())))
        .then()
        // The caller's response must not wait on a slow broker or registry: the relay catches up.
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
   * Publishes in the background and returns at once: the events are durable in their document, so
   * the caller (a listener batch) need not wait for the broker; the relay catches up on failures.
   * Each published event leaves its document in the next batched removal ({@link #flushAcks}).
   */
  public Mono<Void> publishInBackground(
      String collection, Object documentId, List<OutboxEvent> events) {
    Flux.fromIterable(events)
        .flatMap(
            event ->
                send(event)
                    .doOnSuccess(
                        done -> acks.add(new Ack(collection, documentId, event.eventId()))))
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
            })
        .subscribe();
    return Mono.empty();
  }

  /** A published event still to be removed from its document. */
  private record Ack(String collection, Object documentId, String eventId) {}

  /**
   * Removes published events from their documents, one unordered bulk write per collection for
   * everything published since the last run, instead of one update per event.
   */
  @Scheduled(fixedDelayString = "${signet.sms.outbox-ack-interval:200ms}")
  void flushAcks() {
    List<Ack> batch = new ArrayList<>();
    for (Ack ack = acks.poll(); ack != null && batch.size() < 5_000; ack = acks.poll()) {
      batch.add(ack);
    }
    if (batch.isEmpty()) {
      return;
    }
    Flux.fromIterable(batch.stream().collect(Collectors.groupingBy(Ack::collection)).entrySet())
        .concatMap(
            group -> {
              ReactiveBulkOperations bulk =
                  mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, group.getKey());
              for (Ack ack : group.getValue()) {
                bulk.updateOne(
                    Query.query(Criteria.where("_id").is(ack.documentId())),
                    new Update().pull(FIELD, new Document("eventId", ack.eventId())));
              }
              return bulk.execute();
            })
        .then()
        .onErrorResume(
            e -> {
              // Left in their documents: the relay publishes them again (same event ids).
              log.warn("outbox removal failed count={} reason={}", batch.size(), e.toString());
              return Mono.empty();
            })
        .block(Duration.ofSeconds(30));
  }

  /**
   * The index the relay's query needs: sparse, so it holds only documents with unpublished events
   * and the relay never scans the whole collection on a real MongoDB.
   */
  public Mono<Void> ensurePendingIndexes() {
    return Flux.fromIterable(OutboxRelay.COLLECTIONS)
        .concatMap(
            collection ->
                mongo
                    .indexOps(collection)
                    .createIndex(new Index().on(FIELD + ".createdAt", Sort.Direction.ASC).sparse()))
        .then();
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
        .subscribeOn(Schedulers.boundedElastic())
        .doOnNext(
            result ->
                // Debug: two events per message at INFO cost more than the rest of the log
                // together.
                log.debug(
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
