package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeRules;
import dev.signet.challenge.limits.NewNumbers;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Housekeeping that the embedded MongoDB server cannot do itself (it has no TTL expiry): the
 * expired event for challenges that ran out unverified, and retention. Safe on several instances at
 * once: expiring is a conditional update, so each challenge expires exactly once.
 */
@Component
class ChallengeMaintenance {

  private static final Logger log = LoggerFactory.getLogger(ChallengeMaintenance.class);
  private static final Duration RETENTION = Duration.ofDays(1);
  private static final int EXPIRY_BATCH = 500;

  private final ChallengeStore store;
  private final ChallengeRules rules;
  private final Outbox outbox;
  private final RateLimiter limiter;
  private final NewNumbers newNumbers;
  private final SendRefusals refusals;

  ChallengeMaintenance(
      ChallengeStore store,
      ChallengeRules rules,
      Outbox outbox,
      RateLimiter limiter,
      NewNumbers newNumbers,
      SendRefusals refusals) {
    this.store = store;
    this.rules = rules;
    this.outbox = outbox;
    this.limiter = limiter;
    this.newNumbers = newNumbers;
    this.refusals = refusals;
  }

  @Scheduled(fixedDelayString = "${signet.challenge.maintenance-interval:5s}")
  void run() {
    expireDue()
        .then(purge())
        .onErrorResume(
            e -> {
              log.warn("challenge maintenance failed reason={}", e.toString());
              return Mono.empty();
            })
        // The scheduler thread waits, so runs never overlap.
        .block(Duration.ofMinutes(1));
  }

  /** Moves pending challenges past their expiry to EXPIRED with their event, once each. */
  Mono<Long> expireDue() {
    Instant now = rules.now();
    return store
        .dueForExpiry(now, EXPIRY_BATCH)
        .concatMap(c -> expire(c, now))
        .count()
        .doOnNext(
            count -> {
              if (count > 0) {
                log.info("challenges expired count={}", count);
              }
            });
  }

  private Mono<Challenge> expire(Challenge challenge, Instant now) {
    ChallengeExpired event = ChallengeEvents.expired(challenge, now);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_EXPIRED.name(), challenge.id(), event);
    return store
        .markExpired(challenge.id(), now, wrapped)
        .flatMap(
            expired ->
                outbox
                    .publish(ChallengeStore.COLLECTION, expired.id(), List.of(wrapped))
                    .thenReturn(expired));
  }

  /** Deletes challenges a day past their expiry (events already relayed) and spent counters. */
  private Mono<Void> purge() {
    return Flux.concat(
            store.purge(rules.now().minus(RETENTION)),
            limiter.purgeExpired(),
            newNumbers.purgeExpired(),
            refusals.purge())
        .then();
  }
}
