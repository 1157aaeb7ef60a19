package dev.signet.sms.outbox;

import java.time.Instant;

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
    String eventId, String topic, String key, String type, byte[] payload, Instant createdAt) {}
