package dev.signet.audit.query;

import dev.signet.audit.activity.ActivityIds;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.view.ChallengeRanks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bson.Document;

/**
 * Documents to response bodies. Internal fields (the phone hash, ranks, the state key, the outbox
 * flag) never leave the service.
 */
final class ViewMapper {

  private ViewMapper() {}

  static ActivityItem activity(Document d) {
    String id = d.getString("_id");
    return new ActivityItem(
        id,
        d.getString("type"),
        d.getString("category"),
        d.getString("outcome"),
        d.getString("severity"),
        d.getString("summary"),
        instant(d, "occurredAt"),
        instant(d, "recordedAt"),
        d.getString("correlationId"),
        d.getString("userId"),
        d.getString("challengeId"),
        d.getString("actionCode"),
        d.getString("idempotencyKey"),
        d.getString("userAuthenticatorId"),
        d.getString("phoneNumberMasked"),
        d.getString("countryCode"),
        d.getString("ipAddress"),
        Boolean.TRUE.equals(d.getBoolean("testTraffic")),
        d.getString("sourceTopic"),
        d.getString("sourceEventId"),
        ActivityIds.auditEventId(id),
        !Boolean.TRUE.equals(d.getBoolean("pending")),
        strings(d.get("attributes", Document.class)));
  }

  static ChallengeView challenge(Document d) {
    return challenge(d, null);
  }

  /**
   * The challenge, with a link to its trace when {@code traceUrl} (a URL with a {@code {traceId}}
   * placeholder) is set and the challenge has a trace.
   */
  static ChallengeView challenge(Document d, String traceUrl) {
    String traceId = d.getString("traceId");
    List<Step> steps = steps(d);
    return new ChallengeView(
        d.getString("_id"),
        d.getString("userId"),
        d.getString("action"),
        d.getString("idempotencyKey"),
        d.getString("purpose"),
        d.getString("channel"),
        d.getString("countryCode"),
        d.getString("phoneNumberMasked"),
        d.getString("userAuthenticatorId"),
        Boolean.TRUE.equals(d.getBoolean("testTraffic")),
        rankName(ChallengeRanks.OUTCOMES, d.get("outcomeRank")),
        rankName(ChallengeRanks.DELIVERIES, d.get("deliveryRank")),
        instant(d, "createdAt"),
        instant(d, "updatedAt"),
        instant(d, "requestedAt"),
        instant(d, "expiresAt"),
        instant(d, "firstSentAt"),
        instant(d, "deliveredAt"),
        longValue(d.get("timeToDeliveryMillis")),
        instant(d, "verifiedAt"),
        instant(d, "claimedAt"),
        instant(d, "expiredAt"),
        distinct(d, "requestedAttempts", null),
        distinct(d, "sentAttempts", null),
        distinct(d, "deliveredAttempts", "attempt"),
        distinct(d, "failedVerifications", null),
        Boolean.TRUE.equals(d.getBoolean("tampered")),
        docs(d, "tamperedRequests").size(),
        AttemptJoin.of(steps),
        steps,
        traceId,
        traceId == null || traceUrl == null || traceUrl.isBlank()
            ? null
            : traceUrl.replace("{traceId}", traceId));
  }

  static ActionView action(Document d) {
    List<Review> reviews = new ArrayList<>();
    for (Document r : docs(d, "reviews")) {
      reviews.add(new Review(r.getString("reviewedBy"), r.getString("state"), instant(r, "at")));
    }
    reviews.sort(Comparator.comparing(Review::at, Comparator.nullsLast(Comparator.naturalOrder())));
    List<ManualChange> manualChanges = new ArrayList<>();
    for (Document m : docs(d, "manualChanges")) {
      manualChanges.add(
          new ManualChange(
              m.getString("state"),
              m.getString("previousState"),
              m.getString("credentialKind"),
              instant(m, "at")));
    }
    manualChanges.sort(
        Comparator.comparing(ManualChange::at, Comparator.nullsLast(Comparator.naturalOrder())));
    Object defaultOutcome = d.get("defaultOutcome");
    return new ActionView(
        d.getString("userId"),
        d.getString("actionCode"),
        d.getString("idempotencyKey"),
        d.getString("state"),
        instant(d, "stateAt"),
        d.getString("decision"),
        stringList(d, "ruleIds"),
        defaultOutcome == null ? null : Boolean.valueOf(String.valueOf(defaultOutcome)),
        instant(d, "createdAt"),
        instant(d, "updatedAt"),
        instant(d, "trackedAt"),
        instant(d, "decidedAt"),
        d.getString("ipAddress"),
        d.getString("userAgent"),
        d.getString("deviceId"),
        stringList(d, "challengeIds"),
        reviews,
        manualChanges,
        steps(d),
        d.getString("completedVia"),
        d.getString("traceId"));
  }

  static AggregateBucket aggregate(Document d) {
    Map<String, Long> reasons = new TreeMap<>();
    Document byReason = d.get("blockedByReason", Document.class);
    if (byReason != null) {
      byReason.forEach((k, v) -> reasons.put(k, longValue(v)));
    }
    return new AggregateBucket(
        d.getString("granularity"),
        instant(d, "bucketStart"),
        d.getString("countryCode"),
        d.getString("action"),
        longOrZero(d.get("challenges")),
        longOrZero(d.get("sends")),
        longOrZero(d.get("deliveries")),
        longOrZero(d.get("undelivered")),
        longOrZero(d.get("dispatchFailures")),
        longOrZero(d.get("verifications")),
        longOrZero(d.get("verificationFailures")),
        d.get("conversionRate") instanceof Number n ? n.doubleValue() : null,
        d.get("deliveryRate") instanceof Number n ? n.doubleValue() : null,
        longValue(d.get("sendToDeliveryP50Millis")),
        longValue(d.get("sendToDeliveryP95Millis")),
        longOrZero(d.get("blocked")),
        reasons,
        longOrZero(d.get("shadowBlocked")),
        routes(d.get("routes", Document.class)),
        instant(d, "computedAt"));
  }

  private static Map<String, AggregateBucket.RouteFigures> routes(Document routes) {
    Map<String, AggregateBucket.RouteFigures> out = new TreeMap<>();
    if (routes != null) {
      routes.forEach(
          (route, v) -> {
            if (v instanceof Document r) {
              out.put(
                  route,
                  new AggregateBucket.RouteFigures(
                      longOrZero(r.get("sends")),
                      longOrZero(r.get("deliveries")),
                      r.get("deliveryRate") instanceof Number n ? n.doubleValue() : null,
                      longValue(r.get("sendToDeliveryP95Millis"))));
            }
          });
    }
    return out;
  }

  /** Steps in event-time order; at the same millisecond, in the order of the flow. */
  static List<Step> steps(Document d) {
    List<Step> steps = new ArrayList<>();
    for (Document s : docs(d, "steps")) {
      steps.add(
          new Step(
              s.getString("type"),
              instant(s, "at"),
              s.getString("outcome"),
              s.getString("summary"),
              s.getString("activityId"),
              strings(s.get("attributes", Document.class))));
    }
    steps.sort(
        Comparator.comparing(Step::at, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> ActivityTypes.ALL.indexOf(s.type()))
            .thenComparing(Step::activityId));
    return steps;
  }

  /** The name of a lattice rank (the views store only the rank, which {@code $max} merges). */
  private static String rankName(List<String> lattice, Object rank) {
    int r = rank instanceof Number n ? n.intValue() : 0;
    return lattice.get(Math.max(0, Math.min(lattice.size() - 1, r)));
  }

  private static Instant instant(Document d, String field) {
    Object v = d.get(field);
    return v instanceof Date date ? date.toInstant() : null;
  }

  private static Long longValue(Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }

  private static long longOrZero(Object v) {
    return v instanceof Number n ? n.longValue() : 0;
  }

  private static List<Document> docs(Document d, String field) {
    List<Document> list = d.getList(field, Document.class);
    return list == null ? List.of() : list;
  }

  private static List<String> stringList(Document d, String field) {
    List<String> list = d.getList(field, String.class);
    return list == null ? List.of() : List.copyOf(list);
  }

  private static int distinct(Document d, String field, String key) {
    List<?> list = d.getList(field, Object.class);
    if (list == null) {
      return 0;
    }
    Set<Object> seen = new HashSet<>();
    for (Object v : list) {
      seen.add(key == null ? v : ((Document) v).get(key));
    }
    return seen.size();
  }

  private static Map<String, String> strings(Document d) {
    Map<String, String> out = new TreeMap<>();
    if (d != null) {
      d.forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }
}
