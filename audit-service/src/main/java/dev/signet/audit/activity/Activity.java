package dev.signet.audit.activity;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One recorded activity: the normalised form of any Signet event, from which the timeline, the
 * per-challenge and per-action views, the aggregates and the audit topic are all derived. Holds
 * masked personal data only (never a code, a sealed code, a token or a full phone number; the
 * number appears at most as a keyed hash for look-ups).
 *
 * @param activityId stable id derived from the source topic and event id (replays give the same id)
 * @param type stable type name such as {@code challenge.verified}
 * @param attributes further type-specific details as strings, sorted by key so that a view entry
 *     built twice from the same event is byte-for-byte the same
 */
public record Activity(
    String activityId,
    String type,
    ActivityCategory category,
    ActivityOutcome outcome,
    ActivitySeverity severity,
    String summary,
    Instant occurredAt,
    String correlationId,
    String userId,
    String challengeId,
    String actionCode,
    String idempotencyKey,
    String userAuthenticatorId,
    String phoneNumberMasked,
    String phoneHash,
    String countryCode,
    String ipAddress,
    boolean testTraffic,
    String sourceTopic,
    String sourceEventId,
    SortedMap<String, String> attributes,
    String traceId) {

  public Activity {
    attributes = new TreeMap<>(attributes == null ? Map.of() : attributes);
  }

  /** The attribute, or {@code null}. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  /** The attribute as an integer, or {@code fallback} when absent or not a number. */
  public long longAttribute(String key, long fallback) {
    String value = attributes.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** The event id of the audit event published for this activity: derived, so never duplicated. */
  public String auditEventId() {
    return ActivityIds.auditEventId(activityId);
  }
}
