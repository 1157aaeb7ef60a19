package dev.signet.audit.view;

import dev.signet.audit.activity.Activity;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import org.bson.Document;

/** The stored forms of an activity: its own document and its entry in a challenge's timeline. */
final class ViewDocuments {

  private ViewDocuments() {}

  static Document activityDocument(Activity a, Date recordedAt) {
    Document d = new Document("_id", a.activityId());
    d.append("type", a.type());
    d.append("category", a.category().name());
    d.append("outcome", a.outcome().name());
    d.append("severity", a.severity().name());
    d.append("summary", a.summary());
    d.append("occurredAt", Date.from(a.occurredAt()));
    d.append("recordedAt", recordedAt);
    putIfPresent(d, "correlationId", a.correlationId());
    putIfPresent(d, "userId", a.userId());
    putIfPresent(d, "challengeId", a.challengeId());
    putIfPresent(d, "actionCode", a.actionCode());
    putIfPresent(d, "idempotencyKey", a.idempotencyKey());
    putIfPresent(d, "userAuthenticatorId", a.userAuthenticatorId());
    putIfPresent(d, "phoneNumberMasked", a.phoneNumberMasked());
    putIfPresent(d, "phoneHash", a.phoneHash());
    putIfPresent(d, "countryCode", a.countryCode());
    putIfPresent(d, "ipAddress", a.ipAddress());
    d.append("testTraffic", a.testTraffic());
    d.append("sourceTopic", a.sourceTopic());
    d.append("sourceEventId", a.sourceEventId());
    d.append("attributes", new Document(new LinkedHashMap<>(a.attributes())));
    // The audit topic's outbox flag: present (and indexed, sparse) only until published.
    d.append("pending", true);
    return d;
  }

  /** A timeline entry of a challenge or action document; built from the event alone. */
  static Document step(Activity a) {
    return new Document("type", a.type())
        .append("at", Date.from(a.occurredAt()))
        .append("outcome", a.outcome().name())
        .append("summary", a.summary())
        .append("activityId", a.activityId())
        .append("attributes", new Document(new LinkedHashMap<>(a.attributes())));
  }

  static List<String> splitList(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  static void putIfPresent(Document d, String key, Object value) {
    if (value != null) {
      d.append(key, value);
    }
  }
}
