package dev.signet.audit.webhook.domain;

import java.time.Instant;

/**
 * One record of the audit topic as webhooks see it.
 *
 * @param eventId the audit event id, which is the webhook event's {@code id} (receivers
 *     de-duplicate on it)
 * @param type the activity type, the webhook event's {@code type}
 * @param occurredAt when the activity happened, the webhook event's {@code time}
 * @param publishedAt when the record was published to the audit topic (its Kafka timestamp); an
 *     endpoint receives the events published after it was registered
 * @param data the activity, the webhook event's {@code data}
 */
public record AuditEvent(
    String eventId, String type, Instant occurredAt, Instant publishedAt, ActivityData data) {}
