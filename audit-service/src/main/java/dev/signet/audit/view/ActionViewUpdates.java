package dev.signet.audit.view;

import static dev.signet.audit.view.ViewDocuments.putIfPresent;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import org.bson.Document;

/**
 * The update of the per-action view for one activity, and the action's current state as a
 * fixed-width key that orders as a string (last writer by event time wins under {@code $max}).
 */
public final class ActionViewUpdates {

  private ActionViewUpdates() {}

  /** The id of the per-action document: a digest, as the three parts are caller-chosen strings. */
  public static String actionId(String userId, String actionCode, String idempotencyKey) {
    String joined =
        userId.length()
            + ":"
            + userId
            + "|"
            + actionCode.length()
            + ":"
            + actionCode
            + "|"
            + idempotencyKey;
    try {
      return HexFormat.of()
          .formatHex(
              Arrays.copyOf(
                  MessageDigest.getInstance("SHA-256")
                      .digest(joined.getBytes(StandardCharsets.UTF_8)),
                  20));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Document update(Activity a) {
    Date at = Date.from(a.occurredAt());
    Document set =
        new Document("userId", a.userId())
            .append("actionCode", a.actionCode())
            .append("idempotencyKey", a.idempotencyKey());
    Document min = new Document("createdAt", at);
    Document max = new Document("updatedAt", at);
    Document addToSet = new Document("steps", ViewDocuments.step(a));
    switch (a.type()) {
      case ActivityTypes.ACTION_TRACKED -> {
        min.append("trackedAt", at);
        // The trace of the track request: its decision and challenge follow in it.
        putIfPresent(set, "traceId", a.traceId());
        putIfPresent(set, "ipAddress", a.ipAddress());
        putIfPresent(set, "userAgent", a.attribute("userAgent"));
        putIfPresent(set, "deviceId", a.attribute("deviceId"));
      }
      case ActivityTypes.ACTION_DECIDED -> {
        min.append("decidedAt", at);
        putIfPresent(set, "decision", a.attribute("decision"));
        set.append("ruleIds", ViewDocuments.splitList(a.attribute("ruleIds")));
        putIfPresent(set, "defaultOutcome", a.attribute("defaultOutcome"));
      }
      case ActivityTypes.ACTION_STATE_CHANGED -> stateChanged(a, at, set, max, addToSet);
      default -> {
        // only the step
      }
    }
    return new Document("$set", set)
        .append("$min", min)
        .append("$max", max)
        .append("$addToSet", addToSet);
  }

  private static void stateChanged(
      Activity a, Date at, Document set, Document max, Document addToSet) {
    if (a.attribute("state") != null) {
      max.append("stateKey", stateKey(a));
    }
    if (a.challengeId() != null) {
      addToSet.append("challengeIds", a.challengeId());
    }
    putIfPresent(set, "completedVia", a.attribute("via"));
    if ("MANUAL".equals(a.attribute("cause"))) {
      addToSet.append(
          "manualChanges",
          new Document("state", a.attribute("state"))
              .append("previousState", a.attribute("previousState"))
              .append("credentialKind", a.attribute("credentialKind"))
              .append("at", at));
    } else if (a.attribute("reviewedBy") != null) {
      addToSet.append(
          "reviews",
          new Document("reviewedBy", a.attribute("reviewedBy"))
              .append("state", a.attribute("state"))
              .append("at", at));
    }
  }

  /**
   * Last writer by occurredAt wins the action's current state; at the same millisecond, the more
   * final state wins (a result over a requirement). Fixed-width, so it orders as a string.
   */
  static String stateKey(Activity a) {
    String state = a.attribute("state");
    int rank =
        switch (state) {
          case "CHALLENGE_SUCCEEDED", "CHALLENGE_FAILED", "REVIEW_SUCCEEDED", "REVIEW_FAILED" -> 2;
          case "UNKNOWN" -> 0;
          default -> 1;
        };
    return String.format("%015d|%d|%s", Math.max(0, a.occurredAt().toEpochMilli()), rank, state);
  }
}
