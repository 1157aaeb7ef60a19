package dev.signet.challenge.challenge;

import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.limits.ConsecutiveFailures;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.challenge.outbox.Outbox;
import dev.signet.challenge.outbox.OutboxEvent;
import dev.signet.challenge.testnumber.TestNumbers;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.challenge.VerificationFailureReason;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a code against a challenge. The hash comparison runs in constant time in this process; the
 * state change is then one conditional update on what was read: a success requires the challenge
 * still pending with the same code hash (so of N parallel correct submissions exactly one wins, and
 * a code replaced by a resend cannot win), a failure requires the failure count still at the value
 * read (so N parallel wrong submissions can never push it past the cap).
 */
@Component
public class ChallengeVerifier {

  private static final Logger log = LoggerFactory.getLogger(ChallengeVerifier.class);
  private static final int MAX_RACE_RETRIES = 8;

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final CodeHasher hasher;
  private final RateLimiter limiter;
  private final ConsecutiveFailures consecutiveFailures;
  private final TestNumbers testNumbers;
  private final ChallengeProperties properties;
  private final RateLimiter.Limit verificationsPerPhone;
  private final Clock clock;

  ChallengeVerifier(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      CodeHasher hasher,
      RateLimiter limiter,
      ConsecutiveFailures consecutiveFailures,
      TestNumbers testNumbers,
      ChallengeProperties properties,
      Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.hasher = hasher;
    this.limiter = limiter;
    this.consecutiveFailures = consecutiveFailures;
    this.testNumbers = testNumbers;
    this.properties = properties;
    this.verificationsPerPhone =
        new RateLimiter.Limit(
            "verifications-per-phone",
            properties.limits().verificationsPerPhone(),
            properties.limits().verificationsWindow(),
            "Too many verification attempts for this phone number; try again later.");
    this.clock = clock;
  }

  /** Verifies {@code code} for the challenge; an unknown challenge reads as an invalid code. */
  public Mono<VerificationResult> verify(String challengeId, String code, String correlationId) {
    return mongo
        .findById(challengeId, ChallengeDocument.class, ChallengeIssuer.COLLECTION)
        .flatMap(
            challenge ->
                testNumbers
                    .limited(
                        challenge.phoneNumber(),
                        () ->
                            limiter
                                .hit(verificationsPerPhone, challenge.phoneNumber())
                                .then(consecutiveFailures.check(challenge.phoneNumber())))
                    .then(attempt(challenge, code, correlationId, 0)))
        .defaultIfEmpty(rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  private Mono<VerificationResult> attempt(
      ChallengeDocument challenge, String code, String correlationId, int races) {
    Instant now = clock.instant();
    int maxAttempts = properties.limits().maxAttempts();
    if (challenge.failedAttempts() >= maxAttempts) {
      return Mono.just(rejected(VerificationResult.FailureReason.MAX_ATTEMPTS_EXCEEDED));
    }
    // Single use: a verified or claimed challenge never verifies again, whatever the code.
    if (challenge.state() != ChallengeState.PENDING || challenge.expiredAt(now)) {
      return Mono.just(rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED));
    }
    if (hasher.matches(challenge.id(), code, challenge.codeHash())) {
      return succeed(challenge, correlationId, now);
    }
    return fail(challenge, code, correlationId, now, races);
  }

  private Mono<VerificationResult> succeed(
      ChallengeDocument challenge, String correlationId, Instant now) {
    ChallengeVerified event = ChallengeEvents.verified(challenge, correlationId, now);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_VERIFIED.name(), challenge.id(), event);
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(challenge.id())
                .and(ChallengeDocument.STATE)
                .is(ChallengeState.PENDING.name())
                .and(ChallengeDocument.CODE_HASH)
                .is(challenge.codeHash())
                .and(ChallengeDocument.FAILED_ATTEMPTS)
                .lt(properties.limits().maxAttempts())
                .and(ChallengeDocument.EXPIRES_AT)
                .gt(now));
    Update update =
        new Update()
            .set(ChallengeDocument.STATE, ChallengeState.VERIFIED.name())
            .set("verifiedAt", now)
            .push(Outbox.FIELD, wrapped);
    return mongo
        .findAndModify(
            query,
            update,
            FindAndModifyOptions.options().returnNew(true),
            ChallengeDocument.class,
            ChallengeIssuer.COLLECTION)
        .flatMap(
            verified ->
                consecutiveFailures
                    .reset(verified.phoneNumber())
                    .then(
                        outbox.publishInBackground(
                            ChallengeIssuer.COLLECTION, verified.id(), List.of(wrapped)))
                    .doOnSuccess(
                        done ->
                            log.info(
                                "challenge verified challengeId={} sends={} failedAttempts={}",
                                verified.id(),
                                verified.sends(),
                                verified.failedAttempts()))
                    .thenReturn((VerificationResult) new VerificationResult.Verified(verified)))
        // Another submission won, or a resend replaced the code in between.
        .defaultIfEmpty(rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  private Mono<VerificationResult> fail(
      ChallengeDocument challenge, String code, String correlationId, Instant now, int races) {
    int maxAttempts = properties.limits().maxAttempts();
    int failedAttempts = challenge.failedAttempts() + 1;
    boolean terminal = failedAttempts >= maxAttempts;
    VerificationResult.FailureReason reason =
        terminal
            ? VerificationResult.FailureReason.MAX_ATTEMPTS_EXCEEDED
            : VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED;
    return consecutiveFailures
        .recordFailure(challenge.phoneNumber())
        .flatMap(
            consecutive -> {
              ChallengeVerificationFailed event =
                  ChallengeEvents.failed(
                      challenge,
                      VerificationFailureReason.valueOf(reason.name()),
                      failedAttempts,
                      maxAttempts,
                      terminal,
                      correlationId,
                      now);
              event.setConsecutiveFailures(consecutive);
              OutboxEvent wrapped =
                  outbox.wrap(
                      event.getEventId(),
                      Topics.CHALLENGE_VERIFICATION_FAILED.name(),
                      challenge.id(),
                      event);
              Query query =
                  Query.query(
                      Criteria.where("_id")
                          .is(challenge.id())
                          .and(ChallengeDocument.STATE)
                          .is(ChallengeState.PENDING.name())
                          .and(ChallengeDocument.FAILED_ATTEMPTS)
                          .is(challenge.failedAttempts()));
              Update update =
                  new Update()
                      .set(ChallengeDocument.FAILED_ATTEMPTS, failedAttempts)
                      .push(Outbox.FIELD, wrapped);
              return mongo
                  .findAndModify(
                      query,
                      update,
                      FindAndModifyOptions.options().returnNew(true),
                      ChallengeDocument.class,
                      ChallengeIssuer.COLLECTION)
                  .flatMap(
                      updated ->
                          outbox
                              .publishInBackground(
                                  ChallengeIssuer.COLLECTION, updated.id(), List.of(wrapped))
                              .doOnSuccess(
                                  done ->
                                      log.info(
                                          "challenge verification failed challengeId={}"
                                              + " failedAttempts={} terminal={}",
                                          updated.id(),
                                          failedAttempts,
                                          terminal))
                              .thenReturn(rejected(reason)))
                  // Lost a race with another submission: re-read and judge again.
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              races >= MAX_RACE_RETRIES
                                  ? Mono.just(
                                      rejected(
                                          VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED))
                                  : mongo
                                      .findById(
                                          challenge.id(),
                                          ChallengeDocument.class,
                                          ChallengeIssuer.COLLECTION)
                                      .flatMap(
                                          fresh ->
                                              attempt(fresh, code, correlationId, races + 1))));
            });
  }

  private static VerificationResult rejected(VerificationResult.FailureReason reason) {
    return new VerificationResult.Rejected(reason);
  }
}
