package dev.signet.platform.outbox;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.types.Binary;

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
 */
public record OutboxEvent(
    String eventId, String topic, String key, String type, byte[] payload, Instant createdAt) {

  /**
   * The stored form, for {@code $push} into a document's {@link Outbox#FIELD} array; the same shape
   * Spring Data writes for the record itself, so both kinds of write read back alike.
   */
  public Document toDocument() {
    return new Document("eventId", eventId)
        .append("topic", topic)
        .append("key", key)
        .append("type", type)
        .append("payload", new Binary(payload))
        .append("createdAt", Date.from(createdAt));
  }

  /** Reads the stored form back. */
  static OutboxEvent fromDocument(Document d) {
    return new OutboxEvent(
        d.getString("eventId"),
        d.getString("topic"),
        d.getString("key"),
        d.getString("type"),
        d.get("payload", Binary.class).getData(),
        d.getDate("createdAt").toInstant());
  }
}
