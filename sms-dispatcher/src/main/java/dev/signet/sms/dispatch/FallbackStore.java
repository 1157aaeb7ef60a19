package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The fallback state of send attempts, in their {@code sms_attempts} documents: {@code
 * fallbackDueAt} (when a fallback is due unless a delivered receipt comes first), {@code
 * fallbackReason}, {@code fallbacks} (taken so far), {@code deliveredAt} and the sealed {@code
 * resend} data. After the last fallback allowed, {@code fallbackDueAt} stays, with {@code
 * fallbackLast} and without the resend data: when it comes with no delivered receipt, the attempt
 * is out of fallbacks while its code was not delivered, which is recorded and announced once.
 * Taking a due fallback (or that last check) is one conditional update on the count it had, so two
 * instances, two sweeps or a sweep racing a receipt never send the same fallback twice.
 */
@Component
public class FallbackStore {

  /** Why a fallback is due. */
  enum Reason {
    /** No delivered receipt within the window. */
    NO_DELIVERY_IN_WINDOW,
    /** A failed, rejected or expired receipt arrived. */
    DELIVERY_FAILED,
    /** The send's outcome is unknown: the dispatcher stopped or the provider call timed out. */
    OUTCOME_UNKNOWN
  }

  /** Marks the attempt's last fallback as sent: what is due next is the check, not a send. */
  static final String LAST = "fallbackLast";

  private final ReactiveMongoTemplate mongo;

  FallbackStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /**
   * Attempts whose fallback is due at {@code now}, not delivered, with their resend data or past
   * their last fallback ({@code fallbackLast}).
   */
  Flux<Document> due(Instant now, int limit) {
    return mongo.find(
        Query.query(
                Criteria.where("fallbackDueAt")
                    .lte(Date.from(now))
                    .and("deliveredAt")
                    .exists(false)
                    .orOperator(
                        Criteria.where(Resend.FIELD).exists(true), Criteria.where(LAST).is(true)))
            .limit(limit),
        Document.class,
        SendAttempts.COLLECTION);
  }

  /**
   * Takes the due fallback of {@code doc} for this instance: true for exactly one taker, only while
   * it is still due, undelivered and has had no fallback since {@code doc} was read.
   */
  Mono<Boolean> take(Document doc, Instant now) {
    Query query = stillDue(doc);
    Update update =
        new Update()
            .inc("fallbacks", 1)
            .unset("fallbackDueAt")
            .set("fallbackTakenAt", Date.from(now));
    return mongo
        .updateFirst(query, update, SendAttempts.COLLECTION)
        .map(r -> r.getModifiedCount() == 1);
  }

  /**
   * Records an accepted fallback send with its event: the attempt is {@code SENT}, the route and
   * message ids are added, and the next fallback is due at {@code nextDue}; with {@code last} it
   * was the last one allowed: the resend data is removed and {@code nextDue} is when, still
   * undelivered, the attempt is out of fallbacks.
   */
  Mono<Boolean> sent(
      Document doc,
      String route,
      String reason,
      List<String> messageIds,
      OutboxEvent event,
      Instant nextDue,
      boolean last,
      Instant now) {
    Update update =
        new Update()
            .set("state", SendAttempts.State.SENT.name())
            .set("route", route)
            .set("fallbackSentAt", Date.from(now))
            .push(
                "routes",
                new Document("route", route)
                    .append("at", Date.from(now))
                    .append("after", "fallback:" + reason))
            .push(Outbox.FIELD, event.toDocument());
    update.addToSet("providerMessageIds").each(messageIds.toArray());
    update.push(KnownAttempts.MESSAGE_ROUTES).each(messageRoutes(doc, route, messageIds));
    if (doc.getDate("dispatchedAt") == null) {
      update.set("dispatchedAt", Date.from(now));
      update.set("providerMessageId", messageIds.isEmpty() ? null : messageIds.get(0));
    }
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(doc.get("_id"))),
            next(update, nextDue, last),
            SendAttempts.COLLECTION)
        .map(r -> r.getModifiedCount() == 1);
  }

  /**
   * Records a taken fallback that could not be sent ({@code detail}) with its event; no further
   * fallback follows.
   */
  Mono<Void> notSent(Object id, String detail, OutboxEvent event, Instant now) {
    Update update =
        new Update()
            .push("fallbackFailures", new Document("at", Date.from(now)).append("detail", detail))
            .push(Outbox.FIELD, event.toDocument())
            .unset(Resend.FIELD)
            .unset("fallbackDueAt")
            .unset(LAST);
    return mongo
        .updateFirst(Query.query(Criteria.where("_id").is(id)), update, SendAttempts.COLLECTION)
        .then();
  }

  /**
   * Records, for exactly one taker, that the attempt of {@code doc} is out of fallbacks while still
   * undelivered ({@code detail}), with its event: true only while it is still due, undelivered and
   * has had no fallback since {@code doc} was read.
   */
  Mono<Boolean> exhausted(Document doc, String detail, OutboxEvent event, Instant now) {
    Query query = stillDue(doc);
    Update update =
        new Update()
            .push("fallbackFailures", new Document("at", Date.from(now)).append("detail", detail))
            .push(Outbox.FIELD, event.toDocument())
            .unset(Resend.FIELD)
            .unset("fallbackDueAt")
            .unset(LAST);
    return mongo
        .updateFirst(query, update, SendAttempts.COLLECTION)
        .map(r -> r.getModifiedCount() == 1);
  }

  private static Update next(Update update, Instant nextDue, boolean last) {
    if (nextDue == null) {
      return update.unset(Resend.FIELD).unset("fallbackDueAt");
    }
    if (last) {
      update.unset(Resend.FIELD).set(LAST, true);
    }
    return update
        .set("fallbackDueAt", Date.from(nextDue))
        .set("fallbackReason", Reason.NO_DELIVERY_IN_WINDOW.name());
  }

  /**
   * Settles a stale claim whose delivered receipt already came (the dispatcher stopped after the
   * provider accepted the message, before it recorded the send): {@code SENT}, with nothing to fall
   * back on. False when another instance resolved the claim first.
   */
  Mono<Boolean> settleDeliveredClaim(Document claim, Instant now) {
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(claim.get("_id"))
                .and("state")
                .is(SendAttempts.State.CLAIMED.name())
                .and("claimToken")
                .is(claim.getString("claimToken"))
                .and("deliveredAt")
                .exists(true));
    Update update =
        new Update()
            .set("state", SendAttempts.State.SENT.name())
            .set("finishedAt", Date.from(now))
            .set("settledByReceiptAt", Date.from(now))
            .unset("fallbackDueAt")
            .unset(Resend.FIELD);
    return mongo
        .updateFirst(query, update, SendAttempts.COLLECTION)
        .map(r -> r.getModifiedCount() == 1);
  }

  /**
   * What a delivery receipt settles for its attempt: delivered stops every fallback (and drops the
   * resend data); a provider's acceptance or delivery of an attempt whose outcome was unknown makes
   * it {@code SENT}; a final failure makes a pending fallback due at once.
   */
  public Mono<Void> settle(String attemptId, String messageId, String status, Instant now) {
    Mono<Void> accepted =
        switch (status) {
          case "DELIVERED", "ACCEPTED", "BUFFERED" ->
              mongo
                  .updateFirst(
                      Query.query(
                          Criteria.where("_id")
                              .is(attemptId)
                              .and("state")
                              .is(SendAttempts.State.FAILED.name())
                              .and("failureReason")
                              .in("UNKNOWN", "TIMEOUT")),
                      new Update()
                          .set("state", SendAttempts.State.SENT.name())
                          .set("settledByReceiptAt", Date.from(now))
                          .set("providerMessageId", messageId)
                          .addToSet("providerMessageIds", messageId),
                      SendAttempts.COLLECTION)
                  .then();
          default -> Mono.empty();
        };
    Mono<Void> fallback =
        switch (status) {
          case "DELIVERED" ->
              mongo
                  .updateFirst(
                      Query.query(
                          Criteria.where("_id").is(attemptId).and("deliveredAt").exists(false)),
                      new Update()
                          .set("deliveredAt", Date.from(now))
                          .unset("fallbackDueAt")
                          .unset(Resend.FIELD),
                      SendAttempts.COLLECTION)
                  .then();
          case "FAILED", "REJECTED", "EXPIRED" ->
              mongo
                  .updateFirst(
                      Query.query(
                          Criteria.where("_id")
                              .is(attemptId)
                              .and("fallbackDueAt")
                              .exists(true)
                              .and("deliveredAt")
                              .exists(false)),
                      new Update()
                          .set("fallbackDueAt", Date.from(now))
                          .set("fallbackReason", Reason.DELIVERY_FAILED.name()),
                      SendAttempts.COLLECTION)
                  .then();
          default -> Mono.empty();
        };
    // Delivered first: a stale-claim sweep that resolves the claim between the two updates then
    // finds the receipt and settles the claim as sent, or has already made it FAILED (UNKNOWN),
    // which the second update settles. In the other order the claim could end FAILED with a
    // delivered receipt: never settled, never fallen back on.
    return fallback.then(accepted);
  }

  /**
   * Which route sent which provider message, so that a receipt is credited to the route of its own
   * message: the fallback's messages, and on the first fallback also the first send's (its route is
   * about to be overwritten).
   */
  private static Object[] messageRoutes(Document doc, String route, List<String> messageIds) {
    Document fallback = new Document("route", route).append("messageIds", messageIds);
    if (doc.get(KnownAttempts.MESSAGE_ROUTES) != null || doc.getString("route") == null) {
      return new Object[] {fallback};
    }
    List<?> first = doc.getList("providerMessageIds", Object.class, List.of());
    return new Object[] {
      new Document("route", doc.getString("route")).append("messageIds", first), fallback
    };
  }

  /** {@code doc}'s attempt while it is still due, undelivered and has had no fallback since. */
  private static Query stillDue(Document doc) {
    return Query.query(
        Criteria.where("_id")
            .is(doc.get("_id"))
            .and("fallbackDueAt")
            .is(doc.getDate("fallbackDueAt"))
            .and("fallbacks")
            .is(doc.getInteger("fallbacks", 0))
            .and("deliveredAt")
            .exists(false));
  }
}
