package dev.signet.challenge.challenge;

import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.limits.ConsecutiveFailures;
import dev.signet.challenge.limits.ConsecutiveFailures.Subject;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.challenge.testnumber.TestNumbers;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.challenge.VerificationFailureReason;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Checks a code against a challenge. Every comparison is paid for before it happens:
 *
 * <ol>
 *   <li>a challenge that is unknown, used, expired or out of attempts is rejected at once, without
 *       comparing anything and without charging anyone, so an id an attacker kept costs its phone
 *       nothing;
 *   <li>the attempt is reserved on the challenge with one conditional {@code $inc} of {@code
 *       reservedAttempts} (wrong codes plus comparisons in flight; only while the challenge is
 *       pending, unexpired and both counts are under {@code maxAttempts}), so a burst of N parallel
 *       wrong codes gets exactly {@code maxAttempts} comparisons;
 *   <li>the accounts the challenge charges reserve a comparison ({@link ConsecutiveFailures}), then
 *       the per-phone rate limit takes a slot of its window; a refusal gives back everything
 *       reserved before it, so a refused attempt costs nobody anything;
 *   <li>the hash is compared in constant time. A success is one conditional update from PENDING
 *       with the same code hash (of N parallel correct codes exactly one wins; a code replaced by a
 *       resend cannot win), gives its attempt back and resets the accounts; a failure keeps both
 *       reservations and records its event.
 * </ol>
 *
 * <p>Which accounts a challenge charges: its phone number, unless the number was only typed in an
 * enrolment or a number change (where whoever holds the token chose it, and a stranger's number
 * must not be locked by them); its user, when it has one; and the client API action attempt, when
 * the code arrives through the client API.
 */
@Component
public class ChallengeVerifier {

  private static final Logger log = LoggerFactory.getLogger(ChallengeVerifier.class);

  /** Wrong codes plus comparisons in flight; the cap on it bounds a parallel burst. */
  static final String RESERVED_ATTEMPTS = "reservedAttempts";

  /** Purposes whose phone number was typed by the token holder, not proven to be theirs. */
  private static final Set<String> TYPED_NUMBER_PURPOSES = Set.of("ENROLMENT", "NUMBER_CHANGE");

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final CodeHasher hasher;
  private final RateLimiter limiter;
  private final ConsecutiveFailures consecutiveFailures;
  private final TestNumbers testNumbers;
  private final ChallengeProperties properties;
  private final RateLimiter.Limit verificationsPerPhone;
  private final Clock clock;
  private final Counter matches;
  private final Counter mismatches;

  ChallengeVerifier(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      CodeHasher hasher,
      RateLimiter limiter,
      ConsecutiveFailures consecutiveFailures,
      TestNumbers testNumbers,
      ChallengeProperties properties,
      Clock clock,
      MeterRegistry meters) {
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
    this.matches = comparisons(meters, "match");
    this.mismatches = comparisons(meters, "mismatch");
  }

  private static Counter comparisons(MeterRegistry meters, String outcome) {
    return Counter.builder("signet.challenge.code.comparisons")
        .description("Codes compared against a challenge's code hash, by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  /** Verifies {@code code} for the challenge; an unknown challenge reads as an invalid code. */
  public Mono<VerificationResult> verify(String challengeId, String code, String correlationId) {
    return verify(challengeId, code, null, correlationId);
  }

  /**
   * Verifies {@code code} for the challenge, also charging a wrong code to the client API action
   * attempt {@code actionId} when it is given.
   */
  public Mono<VerificationResult> verify(
      String challengeId, String code, String actionId, String correlationId) {
    Instant now = clock.instant();
    return mongo
        .findById(challengeId, ChallengeDocument.class, ChallengeIssuer.COLLECTION)
        .flatMap(
            challenge -> {
              VerificationResult.FailureReason dead = deadReason(challenge, now);
              return dead != null
                  ? Mono.just(rejected(dead))
                  : reserveAttempt(challenge.id(), now)
                      .flatMap(reserved -> charge(reserved, code, actionId, correlationId, now))
                      .switchIfEmpty(Mono.defer(() -> deadNow(challengeId, now)));
            })
        .defaultIfEmpty(rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  /** Why a challenge takes no more codes, or null while it does. */
  private VerificationResult.FailureReason deadReason(ChallengeDocument challenge, Instant now) {
    if (challenge.failedAttempts() >= properties.limits().maxAttempts()) {
      return VerificationResult.FailureReason.MAX_ATTEMPTS_EXCEEDED;
    }
    // Single use: a verified or claimed challenge never verifies again, whatever the code.
    if (challenge.state() != ChallengeState.PENDING || challenge.expiredAt(now)) {
      return VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED;
    }
    return null;
  }

  /**
   * The answer when no attempt could be reserved: the challenge died since it was read, or every
   * remaining attempt is being judged right now (a burst), which reads as an invalid code without a
   * comparison.
   */
  private Mono<VerificationResult> deadNow(String challengeId, Instant now) {
    return mongo
        .findById(challengeId, ChallengeDocument.class, ChallengeIssuer.COLLECTION)
        .map(
            fresh -> {
              VerificationResult.FailureReason reason = deadReason(fresh, now);
              return rejected(
                  reason == null
                      ? VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED
                      : reason);
            })
        .defaultIfEmpty(rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  /**
   * Takes one attempt of the challenge while it is pending, unexpired and under the cap, counting
   * the wrong codes ({@code failedAttempts}) and the comparisons in flight ({@code
   * reservedAttempts}: wrong codes plus attempts not yet judged).
   */
  private Mono<ChallengeDocument> reserveAttempt(String challengeId, Instant now) {
    int max = properties.limits().maxAttempts();
    Query query =
        Query.query(
            new Criteria()
                .andOperator(
                    Criteria.where("_id").is(challengeId),
                    Criteria.where(ChallengeDocument.STATE).is(ChallengeState.PENDING.name()),
                    Criteria.where(ChallengeDocument.EXPIRES_AT).gt(now),
                    Criteria.where(ChallengeDocument.FAILED_ATTEMPTS).lt(max),
                    new Criteria()
                        .orOperator(
                            Criteria.where(RESERVED_ATTEMPTS).lt(max),
                            Criteria.where(RESERVED_ATTEMPTS).exists(false))));
    return mongo.findAndModify(
        query,
        new Update().inc(RESERVED_ATTEMPTS, 1),
        FindAndModifyOptions.options().returnNew(true),
        ChallengeDocument.class,
        ChallengeIssuer.COLLECTION);
  }

  /** Gives back an attempt that compared no code, or whose code was right. */
  private Mono<Void> releaseAttempt(String challengeId) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(challengeId).and(RESERVED_ATTEMPTS).gt(0)),
            new Update().inc(RESERVED_ATTEMPTS, -1),
            ChallengeIssuer.COLLECTION)
        .then();
  }

  /** The accounts a wrong code for this challenge counts against (see the class comment). */
  static List<Subject> subjects(ChallengeDocument challenge, String actionId) {
    List<Subject> subjects = new ArrayList<>(3);
    if (chargesPhone(challenge)) {
      subjects.add(Subject.phone(challenge.phoneNumber()));
    }
    if (challenge.userId() != null) {
      subjects.add(Subject.user(challenge.userId()));
    }
    if (actionId != null) {
      subjects.add(Subject.action(actionId));
    }
    return subjects;
  }

  private static boolean chargesPhone(ChallengeDocument challenge) {
    return !TYPED_NUMBER_PURPOSES.contains(challenge.purpose());
  }

  private Mono<VerificationResult> charge(
      ChallengeDocument reserved, String code, String actionId, String correlationId, Instant now) {
    // Test numbers are never limited: their fixed code is known to whoever configured them.
    boolean limited = !testNumbers.contains(reserved.phoneNumber());
    List<Subject> subjects = limited ? subjects(reserved, actionId) : List.of();
    Mono<Void> perPhone =
        limited && chargesPhone(reserved)
            ? limiter.take(verificationsPerPhone, reserved.phoneNumber())
            : Mono.empty();
    // Accounts first: an attempt a lock refuses never uses up the phone's window. Each refusal
    // gives back what was reserved before it, so a refused attempt costs nobody anything.
    return consecutiveFailures
        .reserveAll(subjects)
        .flatMap(
            counts ->
                perPhone
                    .onErrorResume(
                        RateLimiter.TooManyRequestsException.class,
                        e -> consecutiveFailures.releaseAll(subjects).then(Mono.error(e)))
                    .thenReturn(counts))
        .onErrorResume(
            RateLimiter.TooManyRequestsException.class,
            e -> releaseAttempt(reserved.id()).then(Mono.error(e)))
        .flatMap(counts -> compare(reserved, code, subjects, counts, correlationId, now));
  }

  private Mono<VerificationResult> compare(
      ChallengeDocument reserved,
      String code,
      List<Subject> subjects,
      List<Integer> counts,
      String correlationId,
      Instant now) {
    if (hasher.matches(reserved.id(), code, reserved.codeHash())) {
      matches.increment();
      return succeed(reserved, subjects, correlationId, now);
    }
    mismatches.increment();
    int consecutive = counts.stream().mapToInt(Integer::intValue).max().orElse(0);
    return fail(reserved, consecutive, correlationId, now);
  }

  private Mono<VerificationResult> succeed(
      ChallengeDocument reserved, List<Subject> subjects, String correlationId, Instant now) {
    ChallengeVerified event = ChallengeEvents.verified(reserved, correlationId, now);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_VERIFIED.name(), reserved.id(), event);
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(reserved.id())
                .and(ChallengeDocument.STATE)
                .is(ChallengeState.PENDING.name())
                .and(ChallengeDocument.CODE_HASH)
                .is(reserved.codeHash())
                .and(ChallengeDocument.EXPIRES_AT)
                .gt(now));
    // The right code is no failure: its reserved attempt is given back.
    Update update =
        new Update()
            .set(ChallengeDocument.STATE, ChallengeState.VERIFIED.name())
            .set("verifiedAt", now)
            .inc(RESERVED_ATTEMPTS, -1)
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
                    .resetAll(subjects)
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
        // Another submission won, or a resend replaced the code in between: the code matched what
        // was reserved, so nobody is charged for it.
        .switchIfEmpty(
            Mono.defer(
                () ->
                    consecutiveFailures
                        .releaseAll(subjects)
                        .then(releaseAttempt(reserved.id()))
                        .thenReturn(
                            rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED))));
  }

  private Mono<VerificationResult> fail(
      ChallengeDocument reserved, int consecutive, String correlationId, Instant now) {
    // The failure is counted first; its new count is unique per wrong code, so exactly one
    // failure is the terminal one. Its event follows in a second write to the same document.
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(reserved.id())),
            new Update().inc(ChallengeDocument.FAILED_ATTEMPTS, 1),
            FindAndModifyOptions.options().returnNew(true),
            ChallengeDocument.class,
            ChallengeIssuer.COLLECTION)
        .flatMap(counted -> recordFailure(counted, consecutive, correlationId, now))
        .defaultIfEmpty(rejected(VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  private Mono<VerificationResult> recordFailure(
      ChallengeDocument counted, int consecutive, String correlationId, Instant now) {
    int maxAttempts = properties.limits().maxAttempts();
    int failedAttempts = counted.failedAttempts();
    boolean terminal = failedAttempts >= maxAttempts;
    VerificationResult.FailureReason reason =
        terminal
            ? VerificationResult.FailureReason.MAX_ATTEMPTS_EXCEEDED
            : VerificationResult.FailureReason.CODE_INVALID_OR_EXPIRED;
    ChallengeVerificationFailed event =
        ChallengeEvents.failed(
            counted,
            VerificationFailureReason.valueOf(reason.name()),
            failedAttempts,
            maxAttempts,
            terminal,
            correlationId,
            now);
    event.setConsecutiveFailures(consecutive);
    OutboxEvent wrapped =
        outbox.wrap(
            event.getEventId(), Topics.CHALLENGE_VERIFICATION_FAILED.name(), counted.id(), event);
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(counted.id())),
            new Update().push(Outbox.FIELD, wrapped),
            ChallengeIssuer.COLLECTION)
        .then(
            outbox.publishInBackground(ChallengeIssuer.COLLECTION, counted.id(), List.of(wrapped)))
        .doOnSuccess(
            done ->
                log.info(
                    "challenge verification failed challengeId={} failedAttempts={} terminal={}"
                        + " consecutiveFailures={}",
                    counted.id(),
                    failedAttempts,
                    terminal,
                    consecutive))
        .thenReturn(rejected(reason));
  }

  private static VerificationResult rejected(VerificationResult.FailureReason reason) {
    return new VerificationResult.Rejected(reason);
  }
}
