package dev.signet.audit.ingest;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityIds;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Collects one activity's fields; attributes with a null value are left out. */
final class ActivityBuilder {

  private final String topic;
  private final String sourceEventId;
  private final String type;
  private ActivityCategory category;
  private ActivityOutcome outcome = ActivityOutcome.INFO;
  private ActivitySeverity severity;
  private String summary;
  private Instant occurredAt;
  private String correlationId;
  private String userId;
  private String challengeId;
  private String actionCode;
  private String idempotencyKey;
  private String authenticatorId;
  private String masked;
  private String phoneHash;
  private String country;
  private String ip;
  private boolean test;
  private String traceId;
  private final TreeMap<String, String> attributes = new TreeMap<>();

  ActivityBuilder(String topic, String sourceEventId, String type) {
    this.topic = topic;
    this.sourceEventId = sourceEventId;
    this.type = type;
  }

  ActivityBuilder category(ActivityCategory value) {
    category = value;
    return this;
  }

  ActivityBuilder outcome(ActivityOutcome value) {
    outcome = value;
    return this;
  }

  ActivityBuilder severity(ActivitySeverity value) {
    severity = value;
    return this;
  }

  ActivityBuilder summary(String value) {
    summary = value;
    return this;
  }

  ActivityBuilder common(Instant at, String correlation, String user) {
    occurredAt = at == null ? Instant.EPOCH : at;
    correlationId = blankToNull(correlation);
    userId = blankToNull(user);
    return this;
  }

  ActivityBuilder challenge(String id, String action, String idempotency) {
    challengeId = blankToNull(id);
    actionCode = blankToNull(action);
    idempotencyKey = blankToNull(idempotency);
    return this;
  }

  ActivityBuilder action(String action, String idempotency) {
    actionCode = blankToNull(action);
    idempotencyKey = blankToNull(idempotency);
    return this;
  }

  ActivityBuilder challengeId(String id) {
    challengeId = blankToNull(id);
    return this;
  }

  ActivityBuilder authenticator(String id) {
    authenticatorId = blankToNull(id);
    return this;
  }

  ActivityBuilder phone(String maskedNumber, String hash, String countryCode) {
    masked = blankToNull(maskedNumber);
    phoneHash = hash;
    country = blankToNull(countryCode);
    return this;
  }

  ActivityBuilder ip(String value) {
    ip = blankToNull(value);
    return this;
  }

  ActivityBuilder test(boolean value) {
    test = value;
    return this;
  }

  ActivityBuilder trace(String value) {
    traceId = value;
    return this;
  }

  ActivityBuilder attr(String key, Object value) {
    if (value != null) {
      attributes.put(
          key, value instanceof Instant at ? Long.toString(at.toEpochMilli()) : value.toString());
    }
    return this;
  }

  Activity build() {
    ActivitySeverity effective =
        severity != null
            ? severity
            : outcome == ActivityOutcome.BLOCKED ? ActivitySeverity.WARNING : ActivitySeverity.INFO;
    return new Activity(
        ActivityIds.activityId(topic, sourceEventId),
        type,
        category,
        outcome,
        effective,
        summary,
        occurredAt,
        correlationId,
        userId,
        challengeId,
        actionCode,
        idempotencyKey,
        authenticatorId,
        masked,
        phoneHash,
        country,
        ip,
        test,
        topic,
        sourceEventId,
        attributes,
        traceId);
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  static ActivityBuilder b(String topic, String eventId, String fallback, String type) {
    String sourceEventId = eventId == null || eventId.isEmpty() ? fallback : eventId;
    return new ActivityBuilder(topic, sourceEventId, type);
  }

  static String join(List<?> values) {
    return values == null
        ? null
        : values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
