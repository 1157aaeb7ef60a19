package dev.signet.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removals of events published in the background, written as one unordered bulk per collection
 * every interval, so a request's state change stays its only write. The interval is far below the
 * relay's grace, so the relay never sees an event that is merely waiting here.
 */
final class OutboxAcks {

  private static final Logger log = LoggerFactory.getLogger(OutboxAcks.class);
  private static final int MAX_BATCH = 5_000;

  private final ReactiveMongoTemplate mongo;
  private final Duration interval;
  private final Queue<Ack> pending = new ConcurrentLinkedQueue<>();
  private volatile Disposable flusher;

  OutboxAcks(ReactiveMongoTemplate mongo, Duration interval) {
    this.mongo = mongo;
    this.interval = interval;
  }

  void add(String collection, Object documentId, String eventId) {
    pending.add(new Ack(collection, documentId, eventId));
  }

  synchronized void start() {
    if (flusher == null) {
      flusher =
          Flux.interval(interval, interval)
              .onBackpressureDrop()
              .concatMap(tick -> flush(), 1)
              .subscribe();
    }
  }

  synchronized void stop(Duration timeout) {
    if (flusher != null) {
      flusher.dispose();
      flusher = null;
    }
    try {
      while (!pending.isEmpty()) {
        flush().block(timeout);
      }
    } catch (RuntimeException e) {
      // Left in their documents, they are published again by the relay: at least once.
      log.warn("outbox removals unwritten at stop reason={}", e.toString());
    }
  }

  /** Writes the removals queued so far (at most {@value #MAX_BATCH}), one bulk per collection. */
  Mono<Void> flush() {
    List<Ack> batch = new ArrayList<>();
    for (Ack ack = pending.poll(); ack != null; ack = pending.poll()) {
      batch.add(ack);
      if (batch.size() == MAX_BATCH) {
        break;
      }
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
                    new Update().pull(Outbox.FIELD, new Document("eventId", ack.eventId())));
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

  private record Ack(String collection, Object documentId, String eventId) {}
}
