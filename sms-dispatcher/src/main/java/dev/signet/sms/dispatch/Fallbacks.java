package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.template.Gsm7;
import dev.signet.sms.template.MessageTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Delivery-confirmed fallback: an attempt whose message has no delivered receipt within its
 * country's window, got a failed receipt, or whose outcome is unknown (a stale claim after a crash,
 * a provider call that timed out) is sent once more, with the same code, on the next route of its
 * plan (the same route when it has only one). Never a new code: the sealed code kept in the
 * attempt's document is opened again with the same binding. Never past the code's expiry, never
 * more than {@code max-per-attempt} times, and no send-guard check: the fallback belongs to a send
 * already counted. Each fallback is taken by one conditional update before anything is sent ({@link
 * FallbackStore#take}), so several instances and overlapping sweeps send it once; a crash between
 * taking and sending loses that fallback, never doubles it.
 *
 * <p>A fallback that cannot be sent (the code expired, its seal does not open, every route refused
 * or timed out) and an attempt whose last fallback allowed went a window undelivered too ({@code
 * FALLBACKS_EXHAUSTED}) are announced by a dispatch-failed event with {@code fallback} > 0 and the
 * reason, in the same update that records them, so audit shows them on the challenge.
 *
 * <p>Runs as a {@link Sweep} every {@code sweep-interval}, like {@link StaleClaims}; state lives in
 * MongoDB only, so a restarted instance (or another one) carries on where a stopped one left off.
 */
@Component
class Fallbacks extends Sweep {

  private static final Logger log = LoggerFactory.getLogger(Fallbacks.class);

  private final FallbackStore store;
  private final FallbackRoutes routes;
  private final DispatchEvents events;
  private final Outbox outbox;
  private final FallbackProperties properties;
  private final Clock clock;
  private final MeterRegistry meters;

  Fallbacks(
      FallbackStore store,
      CodeOpener opener,
      MessageTemplates templates,
      ProviderGuard guard,
      SmsSender sender,
      DispatchEvents events,
      Outbox outbox,
      FallbackProperties properties,
      Clock clock,
      MeterRegistry meters) {
    super("fallback sweep");
    this.store = store;
    this.routes = new FallbackRoutes(opener, templates, guard, sender);
    this.events = events;
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
    this.meters = meters;
    // Registered up front: an alert on the increase of a series that appears at 1 misses the first
    // fallback that could not be sent.
    for (FallbackStore.Reason reason : FallbackStore.Reason.values()) {
      DeliveryMeters.fallbacks(meters, null, reason.name(), "not_sent");
    }
  }

  @Override
  Duration interval() {
    return properties.sweepInterval();
  }

  @Override
  boolean enabled() {
    return properties.enabled();
  }

  /** Sends the fallbacks due now; returns how many were sent. */
  @Override
  Mono<Long> resolve() {
    Instant now = clock.instant();
    return store
        .due(now, 200)
        .flatMap(
            doc ->
                (outOfFallbacks(doc)
                        ? exhausted(doc, now)
                        : store
                            .take(doc, now)
                            .filter(Boolean::booleanValue)
                            .flatMap(taken -> send(doc)))
                    .onErrorResume(
                        e -> {
                          log.warn(
                              "fallback not sent attemptId={} reason={}",
                              doc.get("_id"),
                              e.toString());
                          return Mono.just(false);
                        }),
            16)
        .filter(Boolean::booleanValue)
        .count();
  }

  /**
   * Whether what is due for {@code doc} is the check after its last fallback rather than a send:
   * marked so when the last one was sent, or the cap was lowered since.
   */
  private boolean outOfFallbacks(Document doc) {
    return Boolean.TRUE.equals(doc.getBoolean(FallbackStore.LAST))
        || doc.getInteger("fallbacks", 0) >= properties.maxPerAttempt();
  }

  /** An attempt out of fallbacks with its code still undelivered: recorded and announced once. */
  private Mono<Boolean> exhausted(Document doc, Instant now) {
    AttemptFacts facts = AttemptDocuments.facts(doc);
    String reason = dueReason(doc);
    int sent = doc.getInteger("fallbacks", 0);
    String detail =
        "no delivered receipt after "
            + sent
            + " fallback"
            + (sent == 1 ? "" : "s")
            + ", the most allowed (max-per-attempt "
            + properties.maxPerAttempt()
            + ")";
    OutboxEvent event =
        events.fallbackNotSent(
            facts,
            sent + 1,
            reason,
            FailureReason.FALLBACKS_EXHAUSTED,
            detail,
            null,
            doc.getString("route"),
            now);
    return store
        .exhausted(doc, detail, event, now)
        .filter(Boolean::booleanValue)
        .flatMap(
            recorded -> {
              count(null, reason, "exhausted");
              log.warn(
                  "fallbacks exhausted challengeId={} attempt={} fallbacks={} reason={}",
                  facts.challengeId(),
                  facts.attempt(),
                  sent,
                  reason);
              return outbox
                  .publishInBackground(SendAttempts.COLLECTION, doc.get("_id"), List.of(event))
                  .thenReturn(false);
            });
  }

  private static String dueReason(Document doc) {
    return Optional.ofNullable(doc.getString("fallbackReason"))
        .orElse(FallbackStore.Reason.NO_DELIVERY_IN_WINDOW.name());
  }

  /** The taken fallback of one attempt; true when a provider accepted it. */
  private Mono<Boolean> send(Document doc) {
    AttemptFacts facts = AttemptDocuments.facts(doc);
    String reason = dueReason(doc);
    Resend resend = Resend.from(doc.get(Resend.FIELD, Document.class));
    if (!resend.expiresAt().isAfter(clock.instant())) {
      return notSent(
          doc, facts, reason, FailureReason.CHALLENGE_EXPIRED, "challenge expired", null);
    }
    FallbackRoutes.Opened opened;
    try {
      opened = routes.open(facts, resend);
    } catch (CodeOpener.SealException e) {
      return notSent(
          doc,
          facts,
          reason,
          FailureReason.SEALED_CODE_INVALID,
          "sealed data does not open: " + e.getMessage(),
          null);
    }
    return routes
        .tryRoutes(
            opened.request(), opened.message(), resend.after(doc.getString("route")), 0, List.of())
        .flatMap(
            attempted ->
                attempted.outcome() instanceof ProviderOutcome.Accepted accepted
                    ? record(doc, facts, reason, opened.message().text(), attempted, accepted)
                    : notSent(
                        doc,
                        facts,
                        reason,
                        ((ProviderOutcome.Failed) attempted.outcome()).reason(),
                        FallbackRoutes.failure(attempted),
                        attempted));
  }

  /** Records an accepted fallback with its dispatched event, then publishes the event. */
  private Mono<Boolean> record(
      Document doc,
      AttemptFacts facts,
      String reason,
      String text,
      ProviderCalls.Attempted attempted,
      ProviderOutcome.Accepted accepted) {
    int fallback = doc.getInteger("fallbacks", 0) + 1;
    Instant sentAt = clock.instant();
    OutboxEvent event =
        events.dispatched(
            facts, accepted, !Gsm7.isGsm7(text), attempted, sentAt, false, fallback, reason);
    // After the last one allowed, the same window tells whether the attempt ends undelivered.
    Instant nextDue = sentAt.plus(properties.windowFor(facts.countryCode()));
    boolean last = fallback >= properties.maxPerAttempt();
    return store
        .sent(doc, attempted.route(), reason, accepted.messageIds(), event, nextDue, last, sentAt)
        .doOnNext(
            stored -> {
              count(attempted.route(), reason, "sent");
              log.info(
                  "fallback sent challengeId={} attempt={} fallback={} reason={} route={}"
                      + " messageId={}",
                  facts.challengeId(),
                  facts.attempt(),
                  fallback,
                  reason,
                  attempted.route(),
                  accepted.messageId());
            })
        .flatMap(
            stored ->
                outbox
                    .publishInBackground(SendAttempts.COLLECTION, doc.get("_id"), List.of(event))
                    .thenReturn(true));
  }

  /**
   * Records and announces a taken fallback that could not be sent: {@code reason} why it was due,
   * {@code failure} why it did not go out, {@code attempted} the calls made (null: none).
   */
  private Mono<Boolean> notSent(
      Document doc,
      AttemptFacts facts,
      String reason,
      FailureReason failure,
      String detail,
      ProviderCalls.Attempted attempted) {
    count(null, reason, "not_sent");
    log.warn(
        "fallback not sent challengeId={} attempt={} reason={} failure={} detail={}",
        facts.challengeId(),
        facts.attempt(),
        reason,
        failure,
        detail);
    Instant now = clock.instant();
    OutboxEvent event =
        events.fallbackNotSent(
            facts,
            doc.getInteger("fallbacks", 0) + 1,
            reason,
            failure,
            detail,
            attempted,
            doc.getString("route"),
            now);
    return store
        .notSent(doc.get("_id"), detail, event, now)
        .then(
            Mono.defer(
                () ->
                    outbox.publishInBackground(
                        SendAttempts.COLLECTION, doc.get("_id"), List.of(event))))
        .thenReturn(false);
  }

  private void count(String route, String reason, String outcome) {
    DeliveryMeters.fallbacks(meters, route, reason, outcome).increment();
  }
}
