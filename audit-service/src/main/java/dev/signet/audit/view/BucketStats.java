package dev.signet.audit.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bson.Document;

/**
 * The figures of one time bucket for one country and action, accumulated from the per-challenge
 * views of the challenges requested in the bucket (a cohort: a challenge's sends, receipts and
 * verification count in the bucket of its request, so rates never exceed 1).
 */
final class BucketStats {

  long challenges;
  long sends;
  long deliveries;
  long undelivered;
  long dispatchFailures;
  long verifications;
  long verificationFailures;
  long blocked;
  long shadowBlocked;
  final Map<String, Long> blockedByReason = new TreeMap<>();
  final List<Long> deliveryMillis = new ArrayList<>();

  /** The same figures per route that took the sends (sends, deliveries, delivery times only). */
  final Map<String, BucketStats> routes = new TreeMap<>();

  Double conversionRate() {
    return challenges == 0 ? null : round((double) verifications / challenges);
  }

  Double deliveryRate() {
    return sends == 0 ? null : round((double) Math.min(deliveries, sends) / sends);
  }

  /** Nearest-rank percentile of send-to-delivery times, or null without deliveries. */
  Long percentile(double p) {
    if (deliveryMillis.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(deliveryMillis);
    sorted.sort(null);
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  static void accumulate(Map<List<String>, BucketStats> buckets, Document d) {
    String country = d.getString("countryCode") == null ? "ZZ" : d.getString("countryCode");
    String action = d.getString("action") == null ? "-" : d.getString("action");
    for (List<String> key :
        List.of(
            List.of(country, action),
            List.of(country, AggregateBuilder.ALL),
            List.of(AggregateBuilder.ALL, action),
            List.of(AggregateBuilder.ALL, AggregateBuilder.ALL))) {
      BucketStats s = buckets.computeIfAbsent(key, k -> new BucketStats());
      s.challenges++;
      s.sends += distinct(d.getList("sentAttempts", Object.class), null).size();
      Map<Object, Document> delivered = new LinkedHashMap<>();
      for (Document r : docs(d, "deliveredAttempts")) {
        delivered.merge(
            r.get("attempt"),
            r,
            (x, y) -> millis(x) != null && (millis(y) == null || millis(x) <= millis(y)) ? x : y);
      }
      s.deliveries += delivered.size();
      delivered.values().stream()
          .map(BucketStats::millis)
          .filter(v -> v != null)
          .forEach(s.deliveryMillis::add);
      perRoute(s, d, delivered);
      s.undelivered += distinct(docs(d, "undeliveredAttempts"), "attempt").size();
      s.dispatchFailures += distinct(docs(d, "dispatchFailures"), "attempt").size();
      s.verificationFailures +=
          distinct(d.getList("failedVerifications", Object.class), null).size();
      if (d.get("verifiedAt") != null) {
        s.verifications++;
      }
      for (Document b : docs(d, "blocks")) {
        s.blocked++;
        s.blockedByReason.merge(String.valueOf(b.getString("reason")), 1L, Long::sum);
      }
      s.shadowBlocked += docs(d, "shadowBlocks").size();
    }
  }

  /**
   * Each message counted for the route that sent it (a fallback counts for its own route), and each
   * delivery receipt for the route that sent the delivered message, matched by provider message id.
   * Views written before sends and receipts kept their message id credit the attempt's delivery to
   * the route of its first send.
   */
  private static void perRoute(BucketStats s, Document d, Map<Object, Document> delivered) {
    Map<Object, String> firstRoute = new LinkedHashMap<>();
    Map<String, String> routeOfMessage = new LinkedHashMap<>();
    for (Document r : docs(d, "sentRoutes")) {
      String route = String.valueOf(r.getString("route"));
      firstRoute.putIfAbsent(r.get("attempt"), route);
      s.routes.computeIfAbsent(route, k -> new BucketStats()).sends++;
      if (r.getString("messageId") != null) {
        routeOfMessage.put(r.getString("messageId"), route);
      }
    }
    Set<Object> matched = new HashSet<>();
    Set<List<Object>> credited = new HashSet<>();
    for (Document receipt : docs(d, "deliveredAttempts")) {
      String route = routeOfMessage.get(receipt.getString("messageId"));
      if (route != null) {
        matched.add(receipt.get("attempt"));
        if (credited.add(List.of(route, receipt.get("attempt")))) {
          credit(s.routes.get(route), receipt);
        }
      }
    }
    firstRoute.forEach(
        (attempt, route) -> {
          Document receipt = delivered.get(attempt);
          if (receipt != null && !matched.contains(attempt)) {
            credit(s.routes.get(route), receipt);
          }
        });
  }

  private static void credit(BucketStats route, Document receipt) {
    route.deliveries++;
    Long ms = millis(receipt);
    if (ms != null) {
      route.deliveryMillis.add(ms);
    }
  }

  private static Long millis(Document delivered) {
    Object v = delivered.get("millis");
    return v instanceof Number n ? n.longValue() : null;
  }

  private static List<Document> docs(Document d, String field) {
    List<Document> list = d.getList(field, Document.class);
    return list == null ? List.of() : list;
  }

  private static Set<Object> distinct(List<?> values, String field) {
    Set<Object> out = new HashSet<>();
    if (values != null) {
      for (Object v : values) {
        out.add(field == null ? v : ((Document) v).get(field));
      }
    }
    return out;
  }

  Document document(
      String id, String granularity, Instant from, String country, String action, Date computedAt) {
    BucketStats s = this;
    return new Document("_id", id)
        .append("granularity", granularity)
        .append("bucketStart", Date.from(from))
        .append("countryCode", country)
        .append("action", action)
        .append("challenges", s.challenges)
        .append("sends", s.sends)
        .append("deliveries", s.deliveries)
        .append("undelivered", s.undelivered)
        .append("dispatchFailures", s.dispatchFailures)
        .append("verifications", s.verifications)
        .append("verificationFailures", s.verificationFailures)
        .append("conversionRate", s.conversionRate())
        .append("deliveryRate", s.deliveryRate())
        .append("sendToDeliveryP50Millis", s.percentile(0.50))
        .append("sendToDeliveryP95Millis", s.percentile(0.95))
        .append("blocked", s.blocked)
        .append("blockedByReason", new Document(new LinkedHashMap<>(s.blockedByReason)))
        .append("shadowBlocked", s.shadowBlocked)
        .append("routes", routesDocument())
        .append("computedAt", computedAt);
  }

  private Document routesDocument() {
    Document out = new Document();
    routes.forEach(
        (route, r) ->
            out.append(
                route,
                new Document("sends", r.sends)
                    .append("deliveries", r.deliveries)
                    .append("deliveryRate", r.deliveryRate())
                    .append("sendToDeliveryP95Millis", r.percentile(0.95))));
    return out;
  }
}
