package dev.signet.platform.outbox;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.data.annotation.PersistenceCreator;

/**
 * An event stored in the same MongoDB document as the state change it announces, so both are
 * committed by one single-document write. The relay publishes it and then removes it.
 *
 * @param eventId the event's id, also its deduplication key for consumers
 * @param topic destination topic
 * @param key record key (the aggregate id)
 * @param type fully qualified class of the Avro specific record
 * @param payload Avro binary of the record (no wire-format header)
 * @param createdAt when the event was stored
 * @param traceparent the W3C trace context of the span that stored the event, so its publish
 *     (however late, by whichever instance) continues that trace; null when nothing was traced
 */
public record OutboxEvent(
    String eventId,
    String topic,
    String key,
    String type,
    byte[] payload,
    Instant createdAt,
    String traceparent) {

  /** The constructor Spring Data reads stored events with. */
  @PersistenceCreator
  public OutboxEvent {}

  /** An event stored outside any trace. */
  public OutboxEvent(
      String eventId, String topic, String key, String type, byte[] payload, Instant createdAt) {
    this(eventId, topic, key, type, payload, createdAt, null);
  }

  /**
   * The stored form, for {@code $push} into a document's {@link Outbox#FIELD} array; the same shape
   * Spring Data writes for the record itself, so both kinds of write read back alike.
   */
  public Document toDocument() {
    Document document =
        new Document("eventId", eventId)
            .append("topic", topic)
            .append("key", key)
            .append("type", type)
            .append("payload", new Binary(payload))
            .append("createdAt", Date.from(createdAt));
    return traceparent == null ? document : document.append("traceparent", traceparent);
  }

  /** Reads the stored form back. */
  static OutboxEvent fromDocument(Document d) {
    return new OutboxEvent(
        d.getString("eventId"),
        d.getString("topic"),
        d.getString("key"),
        d.getString("type"),
        d.get("payload", Binary.class).getData(),
        d.getDate("createdAt").toInstant(),
        d.getString("traceparent"));
  }
}
