package dev.signet.platform.outbox;

import dev.signet.platform.tracing.TraceHandoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Transactional outbox without transactions: the MongoDB-wire server has none, so events live in an
 * {@link #FIELD} array of the very document whose change they announce, and one single-document
 * write commits both. The writer publishes right after its write ({@link #publish} or {@link
 * #publishInBackground}); the relay publishes whatever a crash or a broker outage left behind.
 *
 * <p><b>Delivery</b> is at least once: an event leaves its document only after the broker
 * acknowledged it, so a crash between the two publishes it again with the same event id, on which
 * consumers deduplicate.
 *
 * <p><b>Ordering</b>: the events of one document are published in the order they were stored, each
 * only after the broker acknowledged the one before it, and every send is issued from one thread in
 * the order the writers asked for it. Keyed by the aggregate id, they reach one partition, so a
 * consumer sees the events of one aggregate in the order they were written. A duplicate (a relay
 * resend after a crash) may arrive after later events of the same aggregate; consumers that keep
 * state compare versions or times, never arrival order alone.
 */
public class Outbox implements SmartLifecycle, DisposableBean {

  /** Name of the array field that holds pending events in every outbox-carrying document. */
  public static final String FIELD = "outbox";

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final KafkaTemplate<String, Object> kafka;
  private final ReactiveMongoTemplate mongo;
  private final Clock clock;
  private final OutboxSettings settings;
  private final OutboxAcks acks;
  private final OutboxRelay relay;
  private final TraceHandoff traces;

  /** One thread issues every send, so sends leave in the order the writers asked for them. */
  private final Scheduler sender = Schedulers.newSingle("outbox-send");

  public Outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      OutboxSettings settings) {
    this(kafka, mongo, clock, settings, TraceHandoff.none());
  }

  /** As above, each stored event carrying the trace it was stored in, continued by its publish. */
  public Outbox(
      KafkaTemplate<String, Object> kafka,
      ReactiveMongoTemplate mongo,
      Clock clock,
      OutboxSettings settings,
      TraceHandoff traces) {
    this.traces = traces;
    this.kafka = kafka;
    this.mongo = mongo;
    this.clock = clock;
    this.settings = settings;
    this.acks = new OutboxAcks(mongo, settings.ackInterval());
    this.relay = new OutboxRelay(this, settings);
  }

  /** Wraps an event for storage in the document that announces it. */
  public OutboxEvent wrap(String eventId, String topic, String key, SpecificRecord event) {
    return new OutboxEvent(
        eventId,
        topic,
        key,
        event.getClass().getName(),
        AvroBytes.encode(event),
        clock.instant(),
        traces.current());
  }

  /**
   * Publishes the given pending events of one document; completes once each was acknowledged by the
   * broker and removed from its document, or at the deadline, leaving the rest to the relay. Never
   * fails the caller.
   */
  public Mono<Void> publish(String collection, Object documentId, List<OutboxEvent> events) {
    return Flux.fromIterable(events)
        .concatMap(event -> send(event).then(remove(collection, documentId, event.eventId())))
        .then()
        .timeout(PUBLISH_TIMEOUT)
        .onErrorResume(
            e -> {
              deferred(collection, documentId, e);
              return Mono.empty();
            });
  }

  /**
   * Publishes like {@link #publish} but returns at once: the state change is already durable with
   * its events, so a response need not wait for the broker. The published events leave their
   * document in the next batched removal rather than in a write of their own.
   */
  public Mono<Void> publishInBackground(
      String collection, Object documentId, List<OutboxEvent> events) {
    Flux.fromIterable(events)
        .concatMap(
            event ->
                send(event).doOnSuccess(sent -> acks.add(collection, documentId, event.eventId())))
        .then()
        .timeout(PUBLISH_TIMEOUT)
        .subscribe(null, e -> deferred(collection, documentId, e));
    return Mono.empty();
  }

  /**
   * The index the relay's query needs on every outbox collection: sparse, so it holds only
   * documents with unpublished events and the relay never scans a whole collection on a real
   * MongoDB.
   */
  public Mono<Void> ensurePendingIndexes() {
    return Flux.fromIterable(settings.collections())
        .concatMap(
            collection ->
                mongo
                    .indexOps(collection)
                    .createIndex(new Index().on(FIELD + ".createdAt", Sort.Direction.ASC).sparse()))
        .then();
  }

  /**
   * Publishes events older than the grace from one collection, in stored order; returns how many.
   */
  Mono<Long> relayLeftovers(String collection) {
    Instant cutoff = clock.instant().minus(settings.relayGrace());
    Query query =
        Query.query(Criteria.where(FIELD + ".createdAt").lt(cutoff)).limit(settings.relayBatch());
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

  /** Writes the removals of everything published in the background so far. */
  Mono<Void> flushAcks() {
    return acks.flush();
  }

  private Mono<Void> send(OutboxEvent event) {
    SpecificRecord record = AvroBytes.decode(event.type(), event.payload());
    // send() can block (metadata, a registry lookup on a cold schema cache, a full buffer), so it
    // never runs on a Netty or MongoDB driver thread.
    return Mono.fromFuture(
            () ->
                traces.resumed(
                    event.traceparent(),
                    "outbox publish",
                    () -> kafka.send(event.topic(), event.key(), record)))
        .subscribeOn(sender)
        .doOnNext(
            result ->
                // Debug: one line per event at INFO costs more than the rest of the log together.
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

  private static void deferred(String collection, Object documentId, Throwable e) {
    log.warn(
        "outbox publish deferred to relay collection={} id={} reason={}",
        collection,
        documentId,
        e.toString());
  }

  @SuppressWarnings("unchecked")
  private static List<OutboxEvent> pending(Document doc) {
    List<Document> raw = (List<Document>) doc.getOrDefault(FIELD, List.of());
    return raw.stream().map(OutboxEvent::fromDocument).toList();
  }

  @Override
  public void start() {
    acks.start();
    relay.start();
  }

  @Override
  public void stop() {
    relay.stop();
    // What is acknowledged but unwritten would otherwise be published again by the relay.
    acks.stop(PUBLISH_TIMEOUT);
  }

  /** After the last stop: a stopped outbox may start again (a paused test context does). */
  @Override
  public void destroy() {
    sender.dispose();
  }

  @Override
  public boolean isRunning() {
    return relay.isRunning();
  }

  /**
   * Starts before and stops after the web server and the Kafka listeners, so whatever they publish
   * while draining still has its removal written.
   */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 4096;
  }
}
