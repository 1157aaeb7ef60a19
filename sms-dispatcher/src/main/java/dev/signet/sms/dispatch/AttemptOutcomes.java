package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.guard.SendGuard;
import dev.signet.sms.template.Gsm7;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Records how an attempt ended (sent, failed, blocked, or refused before its claim) in its
 * document, with the events that say so, and hands the events to the outbox. Each write is
 * conditional on the attempt's claim token, so an outcome that arrives after its claim was resolved
 * as stale records nothing.
 */
@Component
class AttemptOutcomes {

  private static final Logger log = LoggerFactory.getLogger(AttemptOutcomes.class);

  private final SendAttempts attempts;
  private final DispatchEvents events;
  private final Outbox outbox;
  private final Clock clock;
  private final DeliveryMeters meters;
  private final FallbackProperties fallback;

  AttemptOutcomes(
      SendAttempts attempts,
      DispatchEvents events,
      Outbox outbox,
      Clock clock,
      DeliveryMeters meters,
      FallbackProperties fallback) {
    this.attempts = attempts;
    this.events = events;
    this.outbox = outbox;
    this.clock = clock;
    this.meters = meters;
    this.fallback = fallback;
  }

  Mono<Void> block(AttemptFacts facts, String token, SendGuard.Blocked blocked, OutboxEvent event) {
    return attempts
        .block(facts.attemptId(), token, blocked.reason().name(), event, clock.instant())
        .doOnNext(
            stored -> {
              meters.blocked(blocked.reason());
              log.warn(
                  "sms blocked by the send guard challengeId={} attempt={} reason={}",
                  facts.challengeId(),
                  facts.attempt(),
                  blocked.reason());
            })
        .flatMap(
            stored ->
                outbox.publishInBackground(
                    SendAttempts.COLLECTION, facts.attemptId(), List.of(stored)));
  }

  Mono<Void> record(
      AttemptFacts facts,
      String token,
      String text,
      ProviderCalls.Attempted attempted,
      List<OutboxEvent> alsoRecorded,
      boolean testNumber) {
    Instant now = clock.instant();
    OutboxEvent event =
        attempted.outcome() instanceof ProviderOutcome.Accepted accepted
            ? events.dispatched(facts, accepted, !Gsm7.isGsm7(text), attempted, now, testNumber)
            : events.failed(facts, (ProviderOutcome.Failed) attempted.outcome(), attempted, now);
    List<OutboxEvent> recorded = new ArrayList<>(alsoRecorded);
    recorded.add(event);
    return attempts
        .complete(
            facts.attemptId(),
            token,
            attempted.outcome(),
            attempted.providerAttempts(),
            attempted.routeFailures(),
            List.copyOf(recorded),
            fallbackDueAt(facts, attempted, testNumber, now),
            attempted.outcome() instanceof ProviderOutcome.Accepted
                ? FallbackStore.Reason.NO_DELIVERY_IN_WINDOW.name()
                : FallbackStore.Reason.OUTCOME_UNKNOWN.name(),
            now)
        .doOnNext(
            stored -> {
              meters.sent(
                  facts,
                  DeliveryMeters.route(attempted.route(), facts.channel()),
                  attempted.outcome() instanceof ProviderOutcome.Accepted,
                  now);
              logOutcome(facts, attempted);
            })
        .switchIfEmpty(
            Mono.fromRunnable(
                () ->
                    log.warn(
                        "outcome arrived after the claim was resolved as stale challengeId={}"
                            + " attempt={}",
                        facts.challengeId(),
                        facts.attempt())))
        .flatMap(
            stored ->
                outbox.publishInBackground(SendAttempts.COLLECTION, facts.attemptId(), stored));
  }

  /**
   * Records an event whose sealed code cannot be opened: TAMPERED when it does not open for the
   * event's own fields, SEALED_CODE_INVALID when it cannot be tried (unknown key or seal version,
   * legacy seal refused). Kept under the event's own id, never the attempt's: a forged copy
   * arriving first must not take the genuine attempt's place, and a redelivered copy is recorded
   * once.
   */
  Mono<Void> refuse(SendRequest request, CodeOpener.SealException e) {
    FailureReason reason =
        e.tampered() ? FailureReason.TAMPERED : FailureReason.SEALED_CODE_INVALID;
    AttemptFacts claimed = AttemptFacts.of(request);
    // The number the event asked for, masked here: its own masked field is as untrusted as the
    // rest.
    AttemptFacts facts =
        new AttemptFacts(
            claimed.challengeId(),
            claimed.attempt(),
            claimed.correlationId(),
            claimed.userId(),
            claimed.action(),
            claimed.channel(),
            masked(request.phoneNumber()),
            claimed.countryCode(),
            claimed.locale(),
            claimed.requestedAt());
    Instant now = clock.instant();
    OutboxEvent event =
        events.failed(
            facts,
            new ProviderOutcome.Failed(reason, false, null, e.getMessage()),
            ProviderCalls.NOTHING_CALLED,
            now);
    return attempts
        .refuse(request.eventId(), facts, reason, event, now)
        .doOnNext(
            stored -> {
              if (e.tampered()) {
                log.warn(
                    "requested event refused, its sealed code does not open for its own challenge,"
                        + " attempt, number, channel and expiry challengeId={} attempt={}"
                        + " eventId={} phone={}",
                    request.challengeId(),
                    request.attempt(),
                    request.eventId(),
                    facts.phoneNumberMasked());
              } else {
                log.warn(
                    "requested event refused, its sealed code cannot be opened challengeId={}"
                        + " attempt={} eventId={} reason={}",
                    request.challengeId(),
                    request.attempt(),
                    request.eventId(),
                    e.getMessage());
              }
            })
        .flatMap(
            stored ->
                outbox.publishInBackground(
                    SendAttempts.COLLECTION,
                    SendAttempts.refusalId(request.eventId(), facts),
                    List.of(stored)));
  }

  Mono<Void> failWithoutSending(AttemptFacts facts, ProviderOutcome.Failed failed) {
    Instant now = clock.instant();
    OutboxEvent event = events.failed(facts, failed, ProviderCalls.NOTHING_CALLED, now);
    return attempts
        .failWithoutSending(facts, failed, event, now)
        .doOnNext(
            stored -> {
              meters.sent(facts, DeliveryMeters.route(null, facts.channel()), false, now);
              log.info(
                  "send attempt failed before sending challengeId={} attempt={} reason={}",
                  facts.challengeId(),
                  facts.attempt(),
                  failed.reason());
            })
        .flatMap(
            stored ->
                outbox.publishInBackground(
                    SendAttempts.COLLECTION, facts.attemptId(), List.of(stored)));
  }

  /**
   * When the attempt's fallback is due unless its delivery is confirmed first: a window after an
   * accepted message or a call that timed out (maybe accepted); none for other failures (nothing
   * was sent: the user sees it and may resend) or test traffic.
   */
  private Instant fallbackDueAt(
      AttemptFacts facts, ProviderCalls.Attempted attempted, boolean testNumber, Instant now) {
    boolean maybeSent =
        attempted.outcome() instanceof ProviderOutcome.Accepted
            || (attempted.outcome() instanceof ProviderOutcome.Failed failed
                && failed.reason() == FailureReason.TIMEOUT);
    if (testNumber || !fallback.enabled() || !maybeSent) {
      return null;
    }
    return now.plus(fallback.windowFor(facts.countryCode()));
  }

  private void logOutcome(AttemptFacts facts, ProviderCalls.Attempted attempted) {
    if (attempted.outcome() instanceof ProviderOutcome.Accepted accepted) {
      log.info(
          "sms dispatched challengeId={} attempt={} route={} messageId={} segments={}"
              + " providerAttempts={} routeFailures={}",
          facts.challengeId(),
          facts.attempt(),
          attempted.route(),
          accepted.messageId(),
          accepted.segments(),
          attempted.providerAttempts(),
          attempted.routeFailures());
    } else if (attempted.outcome() instanceof ProviderOutcome.Failed failed) {
      log.warn(
          "sms dispatch failed challengeId={} attempt={} route={} reason={} retryable={}"
              + " providerStatus={} providerAttempts={}",
          facts.challengeId(),
          facts.attempt(),
          attempted.route(),
          failed.reason(),
          failed.retryable(),
          failed.providerStatus(),
          attempted.providerAttempts());
    }
  }

  /** {@code +44******0001}: the first three and last four characters of an E.164 number. */
  static String masked(String phone) {
    if (phone == null || !phone.matches("\\+[1-9][0-9]{6,14}")) {
      return "****";
    }
    return phone.substring(0, 3)
        + "*".repeat(phone.length() - 7)
        + phone.substring(phone.length() - 4);
  }
}
