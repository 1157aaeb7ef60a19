package dev.signet.audit.query;

import dev.signet.audit.activity.ActivityTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sends of a challenge, one per attempt number, joined from its steps: when each was requested,
 * dispatched and delivered, and its latest delivery status by rank (a late SENT never hides a
 * DELIVERED). A tampered request is no send of the challenge.
 */
final class AttemptJoin {

  private final int attempt;
  private Instant requestedAt;
  private Instant dispatchedAt;
  private String provider;
  private String segments;
  private String deliveryStatus;
  private Instant deliveredAt;
  private String sendToDeliveryMillis;
  private String blockedReason;
  private String failureReason;
  private String route;
  private String routeFailures;
  private String fallbackRoute;
  private String fallbackReason;
  private String fallbackNotSent;

  private AttemptJoin(int attempt) {
    this.attempt = attempt;
  }

  static List<Attempt> of(List<Step> steps) {
    Map<Integer, AttemptJoin> byAttempt = new TreeMap<>();
    for (Step s : steps) {
      String attempt = s.attributes().get("attempt");
      if (attempt == null || "true".equals(s.attributes().get("tampered"))) {
        continue; // a tampered request is no send of the challenge
      }
      int n;
      try {
        n = Integer.parseInt(attempt);
      } catch (NumberFormatException e) {
        continue;
      }
      byAttempt.computeIfAbsent(n, AttemptJoin::new).add(s);
    }
    List<Attempt> out = new ArrayList<>();
    byAttempt.values().forEach(a -> out.add(a.attempt()));
    return out;
  }

  private void add(Step s) {
    Map<String, String> attributes = s.attributes();
    switch (s.type()) {
      case ActivityTypes.CHALLENGE_REQUESTED -> requestedAt = first(requestedAt, s.at());
      case ActivityTypes.SMS_DISPATCHED -> dispatched(s);
      case ActivityTypes.SMS_DELIVERY_REPORTED -> {
        String status = attributes.get("status");
        if (statusRank(status) >= statusRank(deliveryStatus)) {
          deliveryStatus = status;
        }
        if ("DELIVERED".equals(status)) {
          deliveredAt = first(deliveredAt, s.at());
          sendToDeliveryMillis = first(sendToDeliveryMillis, attributes.get("sendToReceiptMillis"));
        }
      }
      case ActivityTypes.SMS_BLOCKED -> {
        if (!"true".equals(attributes.get("shadow"))) {
          blockedReason = attributes.get("reason");
          deliveryStatus = first(deliveryStatus, "BLOCKED");
        }
      }
      case ActivityTypes.SMS_DISPATCH_FAILED -> {
        if (attributes.get("fallback") != null) {
          // a fallback that did not go out: the attempt's own send and status stand
          fallbackNotSent = attributes.get("reason");
          fallbackReason = first(fallbackReason, attributes.get("fallbackReason"));
          return;
        }
        failureReason = attributes.get("reason");
        route = first(route, attributes.get("route"));
        routeFailures = first(routeFailures, attributes.get("routeFailures"));
        deliveryStatus = first(deliveryStatus, "FAILED");
      }
      default -> {
        // other steps carry no attempt details
      }
    }
  }

  /**
   * A dispatched message: the attempt's first send, or a fallback (the same code once more on
   * another route), which leaves the first send as it was.
   */
  private void dispatched(Step s) {
    Map<String, String> attributes = s.attributes();
    if (attributes.get("fallback") != null) {
      fallbackRoute = first(fallbackRoute, attributes.get("route"));
      fallbackReason = first(fallbackReason, attributes.get("fallbackReason"));
    } else {
      dispatchedAt = first(dispatchedAt, s.at());
      provider = first(provider, attributes.get("provider"));
      segments = first(segments, attributes.get("segments"));
      route = first(route, attributes.get("route"));
      routeFailures = first(routeFailures, attributes.get("routeFailures"));
    }
    deliveryStatus = first(deliveryStatus, "SENT");
  }

  private Attempt attempt() {
    return new Attempt(
        attempt,
        requestedAt,
        dispatchedAt,
        provider,
        segments == null ? null : parseInt(segments),
        deliveryStatus,
        deliveredAt,
        sendToDeliveryMillis == null ? null : parseLong(sendToDeliveryMillis),
        blockedReason,
        failureReason,
        route,
        routeFailures,
        fallbackRoute,
        fallbackReason,
        fallbackNotSent);
  }

  /** {@code putIfAbsent}: the first value seen stays (a null value leaves the field open). */
  private static <T> T first(T current, T value) {
    return current != null ? current : value;
  }

  private static int statusRank(String status) {
    if (status == null) {
      return -1;
    }
    return switch (status) {
      case "DELIVERED" -> 4;
      case "FAILED", "EXPIRED", "REJECTED" -> 3;
      case "ACCEPTED", "BUFFERED" -> 2;
      case "SENT", "BLOCKED" -> 1;
      default -> 0;
    };
  }

  private static Integer parseInt(String value) {
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long parseLong(String value) {
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
