package dev.signet.challenge.challenge;

import static dev.signet.challenge.challenge.Challenges.NOW;
import static dev.signet.challenge.challenge.Challenges.aPendingChallenge;
import static dev.signet.challenge.challenge.Challenges.anEvent;
import static dev.signet.challenge.challenge.Challenges.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What every {@link ChallengeStore} must do, run against each implementation: the conditional
 * writes that hold the rules under concurrency (attempt cap, single use, one resend, one claim, one
 * expiry) and the send slots that hold the per-phone limit.
 */
abstract class ChallengeStoreContract {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 5;

  protected ChallengeStore store;

  /** A fresh store for each test. */
  protected abstract ChallengeStore newStore();

  /** What the outbox does once the challenge's events are published. */
  protected abstract void eventsPublished(String challengeId);

  @BeforeEach
  void freshStore() {
    store = newStore();
  }

  private Challenge inserted(Challenge challenge) {
    return store.insert(challenge, List.of(anEvent(challenge.id())), slot()).block(WAIT);
  }

  private static String slot() {
    return "+447700900123|" + UUID.randomUUID() + "|1";
  }

  /** Runs {@code write} {@code n} times in parallel; how many applied (emitted a value). */
  private static <T> long applied(int n, java.util.function.IntFunction<Mono<T>> write) {
    return Flux.range(0, n)
        .flatMap(i -> write.apply(i).subscribeOn(Schedulers.parallel()), n)
        .count()
        .block(WAIT);
  }

  @Test
  void findsAChallengeByIdAndByIdempotencyKeyAsItWasStored() {
    Challenge challenge = aPendingChallenge();
    inserted(challenge);

    Challenge found = store.find(challenge.id()).block(WAIT);
    assertThat(found.recipient()).isEqualTo(challenge.recipient());
    assertThat(found.context()).isEqualTo(challenge.context());
    assertThat(found.counters()).isEqualTo(challenge.counters());
    assertThat(found.timeline()).isEqualTo(challenge.timeline());
    assertThat(found.codeHash()).isEqualTo(challenge.codeHash());
    assertThat(found.sendSlots()).hasSize(1);
    assertThat(store.findByIdempotencyKey(challenge.idempotencyKey()).block(WAIT).id())
        .isEqualTo(challenge.id());
    assertThat(store.find("unknown").blockOptional(WAIT)).isEmpty();
  }

  @Test
  void anIdempotencyKeyNamesOneChallenge() {
    Challenge first = aPendingChallenge();
    inserted(first);
    Challenge second =
        new Challenge(
            "other-" + first.id(),
            first.recipient(),
            first.context(),
            first.codeHash(),
            first.state(),
            first.counters(),
            first.timeline(),
            null,
            List.of());

    assertThatThrownBy(() -> store.insert(second, List.of(), slot()).block(WAIT))
        .isInstanceOf(ChallengeStore.DuplicateIdempotencyKey.class);
  }

  @Test
  void aSendSlotIsHeldByOneChallengeAndTheLimitRefusesWhenAllAreTaken() {
    SendSlots.Window window =
        new SendSlots(3, Duration.ofMinutes(10)).windowAt("+447700900999", NOW);
    store.insert(aPendingChallenge(), List.of(), window.first()).block(WAIT);

    assertThatThrownBy(
            () -> store.insert(aPendingChallenge(), List.of(), window.first()).block(WAIT))
        .isInstanceOf(ChallengeStore.SlotTaken.class);
    Challenge second =
        store
            .insertInFreeSlot(aPendingChallenge(), List.of(), window, window.first(), NOW)
            .block(WAIT);
    Challenge third =
        store
            .insertInFreeSlot(aPendingChallenge(), List.of(), window, window.first(), NOW)
            .block(WAIT);

    assertThat(second.sendSlots()).containsExactly(window.keys().get(1));
    assertThat(third.sendSlots()).containsExactly(window.keys().get(2));
    assertThat(store.takenSlots(window.keys()).block(WAIT))
        .containsExactlyInAnyOrderElementsOf(window.keys());
    assertThatThrownBy(
            () ->
                store
                    .insertInFreeSlot(aPendingChallenge(), List.of(), window, window.first(), NOW)
                    .block(WAIT))
        .isInstanceOfSatisfying(
            Refused.class,
            e -> assertThat(e.refusal()).isInstanceOf(Refusal.TooManyRequests.class));
  }

  @Test
  void parallelSendsToOnePhoneTakeExactlyTheLimit() {
    SendSlots.Window window =
        new SendSlots(4, Duration.ofMinutes(10)).windowAt("+447700900888", NOW);

    long sent =
        applied(
            12,
            i ->
                store
                    .insertInFreeSlot(aPendingChallenge(), List.of(), window, window.first(), NOW)
                    .onErrorResume(Refused.class, e -> Mono.empty()));

    assertThat(sent).isEqualTo(4);
  }

  @Test
  void ofParallelResendsExactlyOneApplies() {
    Challenge challenge = inserted(aPendingChallenge());
    Challenge resent = resent(challenge, 2);

    long applied =
        applied(10, i -> store.resend(resent, challenge.sends(), anEvent(challenge.id()), slot()));

    assertThat(applied).isEqualTo(1);
    Challenge stored = store.find(challenge.id()).block(WAIT);
    assertThat(stored.sends()).isEqualTo(2);
    assertThat(stored.codeHash()).isEqualTo(hash("654321"));
    assertThat(stored.expiresAt()).isEqualTo(resent.expiresAt());
    assertThat(stored.context().locale()).isEqualTo("fr-FR");
    assertThat(stored.sendSlots()).hasSize(2);
  }

  private static Challenge resent(Challenge c, int sends) {
    Instant at = NOW.plusSeconds(60);
    return new Challenge(
        c.id(),
        c.recipient(),
        new Challenge.Context(
            c.action(),
            c.userId(),
            c.purpose(),
            c.idempotencyKey(),
            null,
            "fr-FR",
            c.context().ipAddress()),
        hash("654321"),
        ChallengeState.PENDING,
        new Challenge.Counters(sends, c.failedAttempts()),
        new Challenge.Timeline(
            c.timeline().createdAt(), at, at.plus(Duration.ofMinutes(10)), null, null),
        null,
        c.sendSlots());
  }

  @Test
  void aParallelBurstOfAttemptsGetsAtMostTheCapOfComparisons() {
    Challenge challenge = inserted(aPendingChallenge());

    long reserved = applied(40, i -> store.reserveAttempt(challenge.id(), NOW, MAX_ATTEMPTS));

    assertThat(reserved).isEqualTo(MAX_ATTEMPTS);
    // Given back (no comparison made), an attempt can be taken again; wrong codes count for good.
    store.releaseAttempt(challenge.id()).block(WAIT);
    assertThat(store.reserveAttempt(challenge.id(), NOW, MAX_ATTEMPTS).blockOptional(WAIT))
        .isPresent();
    for (int i = 1; i <= MAX_ATTEMPTS; i++) {
      assertThat(store.countFailure(challenge.id()).block(WAIT).failedAttempts()).isEqualTo(i);
      store.releaseAttempt(challenge.id()).block(WAIT);
    }
    assertThat(store.reserveAttempt(challenge.id(), NOW, MAX_ATTEMPTS).blockOptional(WAIT))
        .isEmpty();
  }

  @Test
  void parallelWrongCodesEachGetTheirOwnFailureCount() {
    Challenge challenge = inserted(aPendingChallenge());

    List<Integer> counts =
        Flux.range(0, 20)
            .flatMap(i -> store.countFailure(challenge.id()).subscribeOn(Schedulers.parallel()), 20)
            .map(Challenge::failedAttempts)
            .collectList()
            .block(WAIT);

    assertThat(counts).doesNotHaveDuplicates().hasSize(20);
    assertThat(store.find(challenge.id()).block(WAIT).failedAttempts()).isEqualTo(20);
  }

  @Test
  void noAttemptIsReservedOnAnExpiredOrUsedChallenge() {
    Challenge challenge = inserted(aPendingChallenge());
    Instant expiry = challenge.expiresAt();

    assertThat(store.reserveAttempt(challenge.id(), expiry, MAX_ATTEMPTS).blockOptional(WAIT))
        .isEmpty();
    store
        .markVerified(challenge.id(), challenge.codeHash(), NOW, anEvent(challenge.id()))
        .block(WAIT);
    assertThat(store.reserveAttempt(challenge.id(), NOW, MAX_ATTEMPTS).blockOptional(WAIT))
        .isEmpty();
    assertThat(store.reserveAttempt("unknown", NOW, MAX_ATTEMPTS).blockOptional(WAIT)).isEmpty();
  }

  @Test
  void ofParallelRightCodesExactlyOneVerifies() {
    Challenge challenge = inserted(aPendingChallenge());

    long verified =
        applied(
            10,
            i ->
                store.markVerified(
                    challenge.id(), challenge.codeHash(), NOW, anEvent(challenge.id())));

    assertThat(verified).isEqualTo(1);
    Challenge stored = store.find(challenge.id()).block(WAIT);
    assertThat(stored.state()).isEqualTo(ChallengeState.VERIFIED);
    assertThat(stored.timeline().verifiedAt()).isEqualTo(NOW);
  }

  @Test
  void aReplacedOrExpiredCodeNeverVerifies() {
    Challenge challenge = inserted(aPendingChallenge());

    assertThat(
            store
                .markVerified(challenge.id(), hash("000000"), NOW, anEvent(challenge.id()))
                .blockOptional(WAIT))
        .isEmpty();
    assertThat(
            store
                .markVerified(
                    challenge.id(), challenge.codeHash(), challenge.expiresAt(), anEvent("x"))
                .blockOptional(WAIT))
        .isEmpty();
    assertThat(store.find(challenge.id()).block(WAIT).state()).isEqualTo(ChallengeState.PENDING);
  }

  @Test
  void aVerifiedChallengeIsClaimedOnceByOneUser() {
    Challenge challenge = inserted(aPendingChallenge());
    store.markVerified(challenge.id(), challenge.codeHash(), NOW, anEvent("v")).block(WAIT);

    long claimed =
        applied(
            10,
            i ->
                store.markClaimed(
                    challenge.id(), ChallengeState.VERIFIED, "user-" + i, NOW, anEvent("c")));

    assertThat(claimed).isEqualTo(1);
    Challenge stored = store.find(challenge.id()).block(WAIT);
    assertThat(stored.state()).isEqualTo(ChallengeState.CLAIMED);
    assertThat(stored.claimedBy()).startsWith("user-");
    assertThat(stored.timeline().claimedAt()).isEqualTo(NOW);
  }

  @Test
  void aPendingChallengePastItsExpiryExpiresOnceAndIsPurgedOnlyOnceItsEventsAreOut() {
    Challenge due = inserted(aPendingChallenge());
    Challenge live = inserted(aPendingChallenge());
    Instant later = due.expiresAt();
    // The second one was resent: it lives on.
    store.resend(resent(live, 2), 1, anEvent("r"), slot()).block(WAIT);

    assertThat(store.dueForExpiry(later, 100).map(Challenge::id).collectList().block(WAIT))
        .contains(due.id())
        .doesNotContain(live.id());
    assertThat(applied(5, i -> store.markExpired(due.id(), later, anEvent("e")))).isEqualTo(1);
    assertThat(store.find(due.id()).block(WAIT).state()).isEqualTo(ChallengeState.EXPIRED);

    Instant dayLater = later.plus(Duration.ofDays(2));
    assertThat(store.purge(dayLater).block(WAIT)).isZero();
    eventsPublished(due.id());
    eventsPublished(live.id());
    assertThat(store.purge(dayLater).block(WAIT)).isEqualTo(1);
    assertThat(store.find(due.id()).blockOptional(WAIT)).isEmpty();
    assertThat(Optional.ofNullable(store.find(live.id()).block(WAIT))).isPresent();
  }
}
