package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.config.DispatcherProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Resolves claims whose dispatcher stopped between claim and outcome. The rule: such an attempt is
 * never sent again. The provider may have accepted the message before the crash, and a second SMS
 * for one attempt is what the claim exists to prevent; instead the attempt is recorded FAILED with
 * reason UNKNOWN and a dispatch-failed event, and the user asks for a resend (a new attempt with a
 * new code). A claim is only called stale well after its sender must have given up ({@code
 * staleClaimAfter} exceeds the send deadline plus the call timeouts), so a slow but live send is
 * never reported failed. Safe on several instances: the update is conditional.
 */
@Component
class StaleClaims {

  private static final Logger log = LoggerFactory.getLogger(StaleClaims.class);

  private final SendAttempts attempts;
  private final DispatchEvents events;
  private final Outbox outbox;
  private final DispatcherProperties properties;
  private final Clock clock;

  StaleClaims(
      SendAttempts attempts,
      DispatchEvents events,
      Outbox outbox,
      DispatcherProperties properties,
      Clock clock) {
    this.attempts = attempts;
    this.events = events;
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
  }

  // Not at start-up: the attempt collection and its indexes are being created then.
  @Scheduled(
      initialDelayString = "${signet.sms.stale-claim-sweep-interval:30s}",
      fixedDelayString = "${signet.sms.stale-claim-sweep-interval:30s}")
  void sweep() {
    resolve()
        .onErrorResume(
            e -> {
              log.warn("stale claim sweep failed reason={}", e.toString());
              return Mono.just(0L);
            })
        // Runs on the scheduler thread, never a reactive one; waiting keeps runs from overlapping.
        .block(Duration.ofMinutes(1));
  }

  /** Resolves the current stale claims; returns how many. */
  Mono<Long> resolve() {
    Instant now = clock.instant();
    return attempts
        .staleClaims(now.minus(properties.staleClaimAfter()), 100)
        .concatMap(
            claim -> {
              AttemptFacts facts = SendAttempts.facts(claim);
              ProviderOutcome.Failed failed =
                  new ProviderOutcome.Failed(
                      FailureReason.UNKNOWN,
                      false,
                      null,
                      "outcome unknown: the dispatcher stopped between claim and provider answer;"
                          + " not sent again");
              OutboxEvent event = events.failed(facts, failed, 0, now);
              return attempts
                  .resolveStale(claim, FailureReason.UNKNOWN, event, now)
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
            })
        .reduce(0L, Long::sum);
  }
}
