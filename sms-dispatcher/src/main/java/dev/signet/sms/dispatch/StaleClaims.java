package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Resolves claims whose dispatcher stopped between claim and outcome. Such an attempt is never sent
 * again by its claim: the provider may have accepted the message before the crash. It is recorded
 * FAILED with reason UNKNOWN and a dispatch-failed event, and handed to the fallback ({@link
 * Fallbacks}): a receipt for its client reference settles it as sent, and without one within the
 * window the same code is sent once more (at most one extra message). A claim is only called stale
 * well after its sender must have given up ({@code staleClaimAfter} exceeds the send deadline plus
 * the call timeouts), so a slow but live send is never reported failed. Safe on several instances:
 * the update is conditional.
 *
 * <p>The sweep is a reactive loop started with the application and disposed when it stops: every
 * {@code stale-claim-sweep-interval} one sweep runs, and a tick that comes while one still runs is
 * dropped, so sweeps never overlap and no thread waits for one.
 */
@Component
class StaleClaims extends Sweep {

  private static final Logger log = LoggerFactory.getLogger(StaleClaims.class);

  private final SendAttempts attempts;
  private final DispatchEvents events;
  private final Outbox outbox;
  private final DispatcherProperties properties;
  private final FallbackProperties fallback;
  private final Clock clock;
  private final FallbackStore fallbackStore;

  StaleClaims(
      SendAttempts attempts,
      DispatchEvents events,
      Outbox outbox,
      DispatcherProperties properties,
      FallbackProperties fallback,
      Clock clock,
      FallbackStore fallbackStore) {
    super("stale claim sweep");
    this.fallbackStore = fallbackStore;
    this.attempts = attempts;
    this.events = events;
    this.outbox = outbox;
    this.properties = properties;
    this.fallback = fallback;
    this.clock = clock;
  }

  @Override
  Duration interval() {
    return properties.staleClaimSweepInterval();
  }

  /** Resolves the current stale claims; returns how many. */
  @Override
  Mono<Long> resolve() {
    Instant now = clock.instant();
    return attempts
        .staleClaims(now.minus(properties.staleClaimAfter()), 100)
        .concatMap(claim -> resolve(claim, now))
        .reduce(0L, Long::sum);
  }

  /**
   * Resolves one stale claim as read by the sweep; a delivered receipt may have come since. Returns
   * 1 when this call resolved it.
   */
  Mono<Long> resolve(Document claim, Instant now) {
    return claim.getDate("deliveredAt") != null
        ? settleDelivered(claim, now)
        : resolveUnknown(claim, now)
            // Missed: an outcome was recorded, another instance resolved it, or its delivered
            // receipt came after the read, which settles it as sent.
            .switchIfEmpty(Mono.defer(() -> settleDelivered(claim, now)));
  }

  /** Its delivered receipt came while it was claimed: the provider took it. */
  private Mono<Long> settleDelivered(Document claim, Instant now) {
    return fallbackStore.settleDeliveredClaim(claim, now).map(settled -> settled ? 1L : 0L);
  }

  /** A stale claim with no receipt: FAILED (UNKNOWN), handed to the fallback; empty if missed. */
  private Mono<Long> resolveUnknown(Document claim, Instant now) {
    AttemptFacts facts = AttemptDocuments.facts(claim);
    ProviderOutcome.Failed failed =
        new ProviderOutcome.Failed(
            FailureReason.UNKNOWN,
            false,
            null,
            "outcome unknown: the dispatcher stopped between claim and provider answer;"
                + " a receipt settles it, else the same code is sent once more");
    // The route the claim held: the provider may have accepted the message there.
    OutboxEvent event =
        events.failed(
            facts,
            failed,
            new ProviderCalls.Attempted(failed, 0, claim.getString("route"), java.util.List.of()),
            now);
    // The window runs from the claim: a receipt for a message the provider accepted
    // before the crash has had that long to arrive.
    Instant claimed = claim.getDate("claimedAt").toInstant();
    Instant due = claimed.plus(fallback.windowFor(facts.countryCode()));
    return attempts
        .resolveStale(claim, FailureReason.UNKNOWN, event, due.isAfter(now) ? due : now, now)
        .filter(Boolean::booleanValue)
        .doOnNext(
            resolved ->
                log.warn(
                    "stale claim resolved as failed challengeId={} attempt={}",
                    facts.challengeId(),
                    facts.attempt()))
        .flatMap(
            resolved ->
                outbox
                    .publish(SendAttempts.COLLECTION, claim.get("_id"), List.of(event))
                    .thenReturn(1L));
  }
}
