package dev.signet.challenge.challenge;

import dev.signet.challenge.limits.NewNumbers;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Housekeeping that the embedded MongoDB server cannot do itself (it has no TTL expiry): indexes at
 * start-up, the expired event for challenges that ran out unverified, and retention. Safe on
 * several instances at once: expiring is a conditional update, so each challenge expires exactly
 * once.
 */
@Component
class ChallengeMaintenance {

  private static final Logger log = LoggerFactory.getLogger(ChallengeMaintenance.class);
  private static final Duration RETENTION = Duration.ofDays(1);

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final RateLimiter limiter;
  private final NewNumbers newNumbers;
  private final SendRefusals refusals;
  private final Clock clock;

  ChallengeMaintenance(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      RateLimiter limiter,
      NewNumbers newNumbers,
      SendRefusals refusals,
      Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.limiter = limiter;
    this.newNumbers = newNumbers;
    this.refusals = refusals;
    this.clock = clock;
    // Start-up only: the idempotency key and the send slots must be unique before the first
    // request is served; the slots' index is the per-phone send limit.
    mongo
        .indexOps(ChallengeIssuer.COLLECTION)
        .createIndex(
            new Index(ChallengeDocument.IDEMPOTENCY_KEY, Sort.Direction.ASC).unique().sparse())
        .then(
            mongo
                .indexOps(ChallengeIssuer.COLLECTION)
                .createIndex(
                    new Index(ChallengeDocument.SEND_SLOTS, Sort.Direction.ASC)
                        .named(SendSlots.INDEX)
                        .unique()
                        .sparse()))
        .then(
            mongo
                .indexOps(ChallengeIssuer.COLLECTION)
                .createIndex(
                    new Index(ChallengeDocument.STATE, Sort.Direction.ASC)
                        .on(ChallengeDocument.EXPIRES_AT, Sort.Direction.ASC)))
        // The outbox relay's query: sparse, only challenges with unpublished events, so the relay
        // never scans the whole collection on a real MongoDB.
        .then(
            mongo
                .indexOps(ChallengeIssuer.COLLECTION)
                .createIndex(new Index(Outbox.FIELD + ".createdAt", Sort.Direction.ASC).sparse()))
        .block(Duration.ofSeconds(30));
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
    Instant now = clock.instant();
    Query due =
        Query.query(
                Criteria.where(ChallengeDocument.STATE)
                    .is(ChallengeState.PENDING.name())
                    .and(ChallengeDocument.EXPIRES_AT)
                    .lte(now))
            .limit(500);
    return mongo
        .find(due, ChallengeDocument.class, ChallengeIssuer.COLLECTION)
        .concatMap(c -> expire(c, now))
        .count()
        .doOnNext(
            count -> {
              if (count > 0) {
                log.info("challenges expired count={}", count);
              }
            });
  }

  private Mono<ChallengeDocument> expire(ChallengeDocument challenge, Instant now) {
    ChallengeExpired event = ChallengeEvents.expired(challenge, now);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_EXPIRED.name(), challenge.id(), event);
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(challenge.id())
                .and(ChallengeDocument.STATE)
                .is(ChallengeState.PENDING.name())
                .and(ChallengeDocument.EXPIRES_AT)
                .lte(now));
    Update update =
        new Update()
            .set(ChallengeDocument.STATE, ChallengeState.EXPIRED.name())
            .push(Outbox.FIELD, wrapped);
    return mongo
        .findAndModify(
            query,
            update,
            FindAndModifyOptions.options().returnNew(true),
            ChallengeDocument.class,
            ChallengeIssuer.COLLECTION)
        .flatMap(
            expired ->
                outbox
                    .publish(ChallengeIssuer.COLLECTION, expired.id(), List.of(wrapped))
                    .thenReturn(expired));
  }

  /** Deletes challenges a day past their expiry (events already relayed) and spent counters. */
  private Mono<Void> purge() {
    Instant cutoff = clock.instant().minus(RETENTION);
    Query old =
        Query.query(
            Criteria.where(ChallengeDocument.EXPIRES_AT)
                .lt(cutoff)
                .and(ChallengeDocument.STATE)
                .ne(ChallengeState.PENDING.name())
                .and(Outbox.FIELD)
                .size(0));
    return Flux.concat(
            mongo.remove(old, ChallengeIssuer.COLLECTION).map(r -> r.getDeletedCount()),
            limiter.purgeExpired(),
            newNumbers.purgeExpired(),
            refusals.purge())
        .then();
  }
}
