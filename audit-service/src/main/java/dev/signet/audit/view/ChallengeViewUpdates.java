package dev.signet.audit.view;

import static dev.signet.audit.view.ViewDocuments.putIfPresent;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityTypes;
import java.util.Date;
import org.bson.Document;

/**
 * The update of the per-challenge view for one activity, built from the event alone with
 * commutative operators only ({@code $min}/{@code $max} of times and ranks, {@code $addToSet} of
 * entries, {@code $set} of facts every event of the challenge agrees on).
 */
final class ChallengeViewUpdates {

  private ChallengeViewUpdates() {}

  /** The operators of one update, filled in by the event's type. */
  private static final class Parts {
    final Document min;
    final Document max;
    final Document addToSet;
    final Document set = new Document();
    int outcome = ChallengeRanks.outcome("PENDING");
    int delivery = ChallengeRanks.delivery("NONE");

    Parts(Activity a, Date at) {
      min = new Document("createdAt", at);
      max = new Document("updatedAt", at);
      addToSet = new Document("steps", ViewDocuments.step(a));
    }
  }

  static boolean isFirstRequest(Activity a) {
    return ActivityTypes.CHALLENGE_REQUESTED.equals(a.type()) && a.longAttribute("attempt", 1) == 1;
  }

  static Document update(Activity a) {
    Date at = Date.from(a.occurredAt());
    int attempt = (int) a.longAttribute("attempt", 1);
    Parts p = new Parts(a, at);
    if (ActivityTypes.SMS_DISPATCH_FAILED.equals(a.type())
        && "true".equals(a.attribute("tampered"))) {
      return tampered(a, p, attempt);
    }
    sharedFacts(a, p.set);
    challengeStep(a, p, at, attempt);
    smsStep(a, p, at, attempt);
    p.max.append("outcomeRank", p.outcome).append("deliveryRank", p.delivery);
    Document update =
        new Document("$min", p.min).append("$max", p.max).append("$addToSet", p.addToSet);
    if (!p.set.isEmpty()) {
      update.append("$set", p.set);
    }
    return update;
  }

  /**
   * A forged or altered request for this challenge: it only marks the challenge. Its user, number
   * and action are the forger's claims and must not overwrite the challenge's own, and nothing was
   * sent, so the delivery does not move.
   */
  private static Document tampered(Activity a, Parts p, int attempt) {
    p.addToSet.append(
        "tamperedRequests",
        new Document("attempt", attempt)
            .append("phoneNumberMasked", a.phoneNumberMasked())
            .append("activityId", a.activityId()));
    p.max.append("outcomeRank", p.outcome).append("deliveryRank", p.delivery);
    return new Document("$min", p.min)
        .append("$max", p.max)
        .append("$addToSet", p.addToSet)
        .append("$set", new Document("tampered", true));
  }

  private static void sharedFacts(Activity a, Document set) {
    putIfPresent(set, "userId", a.userId());
    putIfPresent(set, "action", a.actionCode());
    putIfPresent(set, "idempotencyKey", a.idempotencyKey());
    putIfPresent(set, "countryCode", a.countryCode());
    putIfPresent(set, "phoneNumberMasked", a.phoneNumberMasked());
    putIfPresent(set, "phoneHash", a.phoneHash());
    putIfPresent(set, "userAuthenticatorId", a.userAuthenticatorId());
    putIfPresent(set, "purpose", a.attribute("purpose"));
    if (a.testTraffic()) {
      set.append("testTraffic", true);
    }
  }

  private static void challengeStep(Activity a, Parts p, Date at, int attempt) {
    switch (a.type()) {
      case ActivityTypes.CHALLENGE_REQUESTED -> {
        p.addToSet.append("requestedAttempts", attempt);
        if (attempt == 1) {
          p.set.append("requestedAt", at);
          // The trace of the request that created the challenge, which its first SMS continues.
          putIfPresent(p.set, "traceId", a.traceId());
        }
        long expires = a.longAttribute("expiresAt", -1);
        if (expires >= 0) {
          p.max.append("expiresAt", new Date(expires));
        }
        putIfPresent(p.set, "channel", a.attribute("channel"));
      }
      case ActivityTypes.CHALLENGE_VERIFIED -> {
        p.min.append("verifiedAt", at);
        p.outcome = ChallengeRanks.outcome("VERIFIED");
      }
      case ActivityTypes.CHALLENGE_VERIFICATION_FAILED -> {
        p.addToSet.append("failedVerifications", a.activityId());
        if ("true".equals(a.attribute("terminal"))) {
          p.outcome = ChallengeRanks.outcome("FAILED");
        }
      }
      case ActivityTypes.CHALLENGE_CLAIMED -> {
        p.min.append("claimedAt", at);
        p.outcome = ChallengeRanks.outcome("CLAIMED");
      }
      case ActivityTypes.CHALLENGE_EXPIRED -> {
        p.min.append("expiredAt", at);
        p.outcome = ChallengeRanks.outcome("EXPIRED");
      }
      default -> {
        // SMS types below; others only add their step
      }
    }
  }

  private static void smsStep(Activity a, Parts p, Date at, int attempt) {
    switch (a.type()) {
      case ActivityTypes.SMS_DISPATCHED -> {
        p.addToSet.append("sentAttempts", attempt);
        if (a.attribute("route") != null) {
          // Which route took the send, and why others did not: per-route delivery figures and
          // the challenge page's sends.
          p.addToSet.append(
              "sentRoutes",
              new Document("attempt", attempt)
                  .append("route", a.attribute("route"))
                  .append("routeFailures", a.attribute("routeFailures"))
                  .append("messageId", a.attribute("providerMessageId")));
        }
        p.min.append("firstSentAt", at);
        p.delivery = ChallengeRanks.delivery("SENT");
      }
      case ActivityTypes.SMS_DISPATCH_FAILED -> {
        if (a.attribute("fallback") != null) {
          // A fallback of a sent attempt that did not go out: the attempt stays sent, and this is
          // no dispatch failure in the delivery figures.
          p.addToSet.append(
              "fallbacksNotSent",
              new Document("attempt", attempt)
                  .append("fallback", (int) a.longAttribute("fallback", 1))
                  .append("reason", a.attribute("reason")));
          return;
        }
        p.addToSet.append(
            "dispatchFailures",
            new Document("attempt", attempt).append("reason", a.attribute("reason")));
        p.delivery = ChallengeRanks.delivery("FAILED");
      }
      case ActivityTypes.SMS_DELIVERY_REPORTED -> receipt(a, p, at, attempt);
      case ActivityTypes.SMS_BLOCKED -> {
        Document block = new Document("attempt", attempt).append("reason", a.attribute("reason"));
        if ("true".equals(a.attribute("shadow"))) {
          p.addToSet.append("shadowBlocks", block);
        } else {
          p.addToSet.append("blocks", block);
          p.delivery = ChallengeRanks.delivery("BLOCKED");
        }
      }
      default -> {
        // challenge types above; others only add their step
      }
    }
  }

  private static void receipt(Activity a, Parts p, Date at, int attempt) {
    String status = a.attribute("status");
    if ("DELIVERED".equals(status)) {
      long ms = a.longAttribute("sendToReceiptMillis", -1);
      Document delivered = new Document("attempt", attempt);
      if (a.attribute("providerMessageId") != null) {
        delivered.append("messageId", a.attribute("providerMessageId"));
      }
      if (ms >= 0) {
        delivered.append("millis", ms);
        p.min.append("timeToDeliveryMillis", ms);
      }
      p.addToSet.append("deliveredAttempts", delivered);
      p.min.append("deliveredAt", at);
      p.delivery = ChallengeRanks.delivery("DELIVERED");
    } else if ("true".equals(a.attribute("finalStatus"))) {
      p.addToSet.append(
          "undeliveredAttempts", new Document("attempt", attempt).append("status", status));
      p.delivery = ChallengeRanks.delivery("FAILED");
    } else {
      p.delivery = ChallengeRanks.delivery("SENT");
    }
  }
}
