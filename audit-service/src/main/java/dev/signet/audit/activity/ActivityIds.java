package dev.signet.audit.activity;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids. An activity's id is a name-based UUID of its source topic and event id, and
 * the audit event's id is one of the activity id: replaying a topic from the beginning finds the
 * same documents and would publish the same event ids, so consumers can deduplicate.
 */
public final class ActivityIds {

  private ActivityIds() {}

  public static String activityId(String sourceTopic, String sourceEventId) {
    return uuid("activity\n" + sourceTopic + "\n" + sourceEventId);
  }

  public static String auditEventId(String activityId) {
    return uuid("auth.audit.activity.v1\n" + activityId);
  }

  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
