package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.limits.ConsecutiveFailures;
import dev.signet.challenge.limits.ConsecutiveFailures.Subject;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.challenge.outcome.Refused;
import dev.signet.challenge.testnumber.TestNumbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who pays for a code comparison before it happens: the accounts the challenge charges reserve a
 * comparison ({@link ConsecutiveFailures}), then the per-phone rate limit takes a slot of its
 * window; a refusal gives back everything reserved before it, so a refused attempt costs nobody
 * anything. A right code resets the accounts; a wrong one keeps its reservations as failures.
 *
 * <p>Which accounts a challenge charges: its phone number, unless the number was only typed in an
 * enrolment or a number change (where whoever holds the token chose it, and a stranger's number
 * must not be locked by them); its user, when it has one; and the client API action attempt, when
 * the code arrives through the client API. Test numbers are never charged: their fixed code is
 * known to whoever configured them.
 */
@Component
class AttemptCharges {

  /** Purposes whose phone number was typed by the token holder, not proven to be theirs. */
  private static final Set<String> TYPED_NUMBER_PURPOSES = Set.of("ENROLMENT", "NUMBER_CHANGE");

  private final RateLimiter limiter;
  private final ConsecutiveFailures consecutiveFailures;
  private final TestNumbers testNumbers;
  private final RateLimiter.Limit verificationsPerPhone;

  AttemptCharges(
      RateLimiter limiter,
      ConsecutiveFailures consecutiveFailures,
      TestNumbers testNumbers,
      ChallengeProperties properties) {
    this.limiter = limiter;
    this.consecutiveFailures = consecutiveFailures;
    this.testNumbers = testNumbers;
    this.verificationsPerPhone =
        new RateLimiter.Limit(
            "verifications-per-phone",
            properties.limits().verificationsPerPhone(),
            properties.limits().verificationsWindow(),
            "Too many verification attempts for this phone number; try again later.");
  }

  /**
   * A paid comparison: the accounts charged and the longest run of failures among them, this
   * attempt included.
   */
  record Charge(List<Subject> subjects, int consecutive) {}

  /** The accounts a wrong code for this challenge counts against (see the class comment). */
  static List<Subject> subjects(Challenge challenge, String actionId) {
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

  private static boolean chargesPhone(Challenge challenge) {
    return !TYPED_NUMBER_PURPOSES.contains(challenge.purpose());
  }

  /**
   * Charges one comparison of {@code challenge}, or fails with the {@link Refused} of the account
   * or limit that refused, having given back what was reserved before it.
   */
  Mono<Charge> charge(Challenge challenge, String actionId) {
    boolean limited = !testNumbers.contains(challenge.phoneNumber());
    List<Subject> subjects = limited ? subjects(challenge, actionId) : List.of();
    Mono<Void> perPhone =
        limited && chargesPhone(challenge)
            ? limiter
                .take(verificationsPerPhone, challenge.phoneNumber())
                .flatMap(refused -> Mono.<Void>error(refused.asError()))
            : Mono.empty();
    // Accounts first: an attempt a lock refuses never uses up the phone's window.
    return consecutiveFailures
        .reserveAll(subjects)
        .flatMap(
            counts ->
                perPhone
                    .onErrorResume(
                        Refused.class,
                        e -> consecutiveFailures.releaseAll(subjects).then(Mono.error(e)))
                    .thenReturn(
                        new Charge(
                            subjects,
                            counts.stream().mapToInt(Integer::intValue).max().orElse(0))));
  }

  /** The code was right: the accounts start counting from zero. */
  Mono<Void> reset(Charge charge) {
    return consecutiveFailures.resetAll(charge.subjects());
  }

  /** The comparison did not count (another submission won): its reservations are given back. */
  Mono<Void> release(Charge charge) {
    return consecutiveFailures.releaseAll(charge.subjects());
  }
}
