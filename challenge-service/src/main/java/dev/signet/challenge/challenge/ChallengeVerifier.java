package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeRules;
import dev.signet.challenge.challenge.domain.VerificationResult;
import dev.signet.challenge.challenge.domain.VerificationResult.FailureReason;
import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.outcome.Refused;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.challenge.VerificationFailureReason;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a code against a challenge. Every comparison is paid for before it happens:
 *
 * <ol>
 *   <li>a challenge that is unknown, used, expired or out of attempts is rejected at once ({@link
 *       ChallengeRules#admit}), without comparing anything and without charging anyone, so an id an
 *       attacker kept costs its phone nothing;
 *   <li>the attempt is reserved on the challenge with one conditional write ({@link
 *       ChallengeStore#reserveAttempt}), so a burst of N parallel wrong codes gets exactly {@code
 *       maxAttempts} comparisons;
 *   <li>the accounts and the per-phone limit are charged ({@link AttemptCharges}); a refusal gives
 *       the attempt back;
 *   <li>the hash is compared in constant time. A success is one conditional update from PENDING
 *       with the same code hash (of N parallel correct codes exactly one wins; a code replaced by a
 *       resend cannot win), gives its attempt back and resets the accounts; a failure keeps both
 *       reservations and records its event.
 * </ol>
 */
@Component
public class ChallengeVerifier {

  private static final Logger log = LoggerFactory.getLogger(ChallengeVerifier.class);

  private final ChallengeStore store;
  private final ChallengeRules rules;
  private final AttemptCharges charges;
  private final Outbox outbox;
  private final CodeHasher hasher;
  private final Counter matches;
  private final Counter mismatches;

  ChallengeVerifier(
      ChallengeStore store,
      ChallengeRules rules,
      AttemptCharges charges,
      Outbox outbox,
      CodeHasher hasher,
      MeterRegistry meters) {
    this.store = store;
    this.rules = rules;
    this.charges = charges;
    this.outbox = outbox;
    this.hasher = hasher;
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
    return store
        .find(challengeId)
        .flatMap(
            challenge -> {
              ChallengeRules.Admission admission = rules.admit(challenge);
              if (admission instanceof ChallengeRules.Closed closed) {
                return Mono.just(rejected(closed.reason()));
              }
              Instant now = ((ChallengeRules.Open) admission).at();
              return store
                  .reserveAttempt(challengeId, now, rules.maxAttempts())
                  .flatMap(reserved -> charge(reserved, code, actionId, correlationId, now))
                  .switchIfEmpty(Mono.defer(() -> closedNow(challengeId)));
            })
        .defaultIfEmpty(rejected(FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  /**
   * The answer when no attempt could be reserved: the challenge died since it was read, or every
   * remaining attempt is being judged right now (a burst), which reads as an invalid code without a
   * comparison.
   */
  private Mono<VerificationResult> closedNow(String challengeId) {
    return store
        .find(challengeId)
        .map(
            fresh ->
                rules.admit(fresh) instanceof ChallengeRules.Closed closed
                    ? rejected(closed.reason())
                    : rejected(FailureReason.CODE_INVALID_OR_EXPIRED))
        .defaultIfEmpty(rejected(FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  private Mono<VerificationResult> charge(
      Challenge reserved, String code, String actionId, String correlationId, Instant now) {
    return charges
        .charge(reserved, actionId)
        .onErrorResume(Refused.class, e -> store.releaseAttempt(reserved.id()).then(Mono.error(e)))
        .flatMap(
            charge -> {
              if (hasher.matches(reserved.id(), code, reserved.codeHash())) {
                matches.increment();
                return succeed(reserved, charge, correlationId, now);
              }
              mismatches.increment();
              return fail(reserved, charge.consecutive(), correlationId, now);
            });
  }

  private Mono<VerificationResult> succeed(
      Challenge reserved, AttemptCharges.Charge charge, String correlationId, Instant now) {
    ChallengeVerified event = ChallengeEvents.verified(reserved, correlationId, now);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_VERIFIED.name(), reserved.id(), event);
    return store
        .markVerified(reserved.id(), reserved.codeHash(), now, wrapped)
        .flatMap(
            verified ->
                charges
                    .reset(charge)
                    .then(
                        outbox.publishInBackground(
                            ChallengeStore.COLLECTION, verified.id(), List.of(wrapped)))
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
                    charges
                        .release(charge)
                        .then(store.releaseAttempt(reserved.id()))
                        .thenReturn(rejected(FailureReason.CODE_INVALID_OR_EXPIRED))));
  }

  /**
   * The failure is counted first; its new count is unique per wrong code, so exactly one failure is
   * the terminal one. Its event follows in a second write to the same document.
   */
  private Mono<VerificationResult> fail(
      Challenge reserved, int consecutive, String correlationId, Instant now) {
    return store
        .countFailure(reserved.id())
        .flatMap(counted -> recordFailure(counted, consecutive, correlationId, now))
        .defaultIfEmpty(rejected(FailureReason.CODE_INVALID_OR_EXPIRED));
  }

  private Mono<VerificationResult> recordFailure(
      Challenge counted, int consecutive, String correlationId, Instant now) {
    ChallengeRules.Failure failure = rules.failure(counted.failedAttempts());
    ChallengeVerificationFailed event =
        ChallengeEvents.failed(
            counted,
            VerificationFailureReason.valueOf(failure.reason().name()),
            failure.failedAttempts(),
            rules.maxAttempts(),
            failure.terminal(),
            correlationId,
            now);
    event.setConsecutiveFailures(consecutive);
    OutboxEvent wrapped =
        outbox.wrap(
            event.getEventId(), Topics.CHALLENGE_VERIFICATION_FAILED.name(), counted.id(), event);
    return store
        .append(counted.id(), wrapped)
        .then(outbox.publishInBackground(ChallengeStore.COLLECTION, counted.id(), List.of(wrapped)))
        .doOnSuccess(
            done ->
                log.info(
                    "challenge verification failed challengeId={} failedAttempts={} terminal={}"
                        + " consecutiveFailures={}",
                    counted.id(),
                    failure.failedAttempts(),
                    failure.terminal(),
                    consecutive))
        .thenReturn(rejected(failure.reason()));
  }

  private static VerificationResult rejected(FailureReason reason) {
    return new VerificationResult.Rejected(reason);
  }
}
