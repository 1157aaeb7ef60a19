package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one owner of the {@code challenges} collection: every read, every conditional update and the
 * send-slot retries go through it. Each write that enforces a rule is a single conditional write,
 * so the rule holds under any concurrency and across instances: of racing resends, verifies or
 * claims exactly one applies, and a burst of attempts never gets more comparisons than the cap.
 * Each change carries the events it causes, stored with it for the outbox to publish. One contract
 * test suite runs against every implementation.
 */
interface ChallengeStore {

  /** The collection, for the outbox that publishes the events its documents carry. */
  String COLLECTION = "challenges";

  /** Writes tried per send before giving up on racing for a slot; each loss means one was taken. */
  int SLOT_TRIES = 12;

  Mono<Challenge> find(String id);

  Mono<Challenge> findByIdempotencyKey(String idempotencyKey);

  /**
   * Inserts a new challenge holding per-phone send {@code slot}, with its events. Fails with {@link
   * SlotTaken} when another challenge holds the slot, with {@link DuplicateIdempotencyKey} when
   * another challenge has its idempotency key.
   */
  Mono<Challenge> insert(Challenge challenge, List<OutboxEvent> events, String slot);

  /**
   * Stores {@code resent} (new code hash, send counter, times, locale, IP) holding one more {@code
   * slot}, only while the stored challenge is pending with {@code expectedSends} sends: of racing
   * resends exactly one applies, the others complete empty. Fails with {@link SlotTaken}.
   */
  Mono<Challenge> resend(Challenge resent, int expectedSends, OutboxEvent event, String slot);

  /** The slots among {@code keys} that some challenge holds. */
  Mono<Set<String>> takenSlots(Collection<String> keys);

  /**
   * Takes one attempt while the challenge is pending, unexpired at {@code now}, and both its wrong
   * codes and its attempts in flight are under {@code maxAttempts}; empty when none is left.
   */
  Mono<Challenge> reserveAttempt(String id, Instant now, int maxAttempts);

  /** Gives back an attempt that compared no code, or whose code was right (never below zero). */
  Mono<Void> releaseAttempt(String id);

  /**
   * Moves a pending, unexpired challenge whose code hash is still {@code codeHash} to VERIFIED and
   * gives its reserved attempt back; empty when another submission won or a resend replaced the
   * code.
   */
  Mono<Challenge> markVerified(String id, byte[] codeHash, Instant now, OutboxEvent event);

  /** Counts one wrong code; the returned count is unique per wrong code. */
  Mono<Challenge> countFailure(String id);

  /** Adds an event to the challenge's pending events. */
  Mono<Void> append(String id, OutboxEvent event);

  /** Moves an unexpired challenge from {@code from} to CLAIMED by {@code userId}; empty if lost. */
  Mono<Challenge> markClaimed(
      String id, ChallengeState from, String userId, Instant now, OutboxEvent event);

  /** Up to {@code limit} pending challenges whose expiry is at or before {@code now}. */
  Flux<Challenge> dueForExpiry(Instant now, int limit);

  /** Moves a pending challenge past its expiry to EXPIRED, once; empty when already moved. */
  Mono<Challenge> markExpired(String id, Instant now, OutboxEvent event);

  /** Deletes challenges that are no longer pending, expired before {@code cutoff}, events sent. */
  Mono<Long> purge(Instant cutoff);

  /** The send slot a write wanted is held by another challenge. */
  final class SlotTaken extends RuntimeException {
    public SlotTaken() {
      super("send slot taken", null, false, false);
    }
  }

  /** Another challenge already has this idempotency key. */
  final class DuplicateIdempotencyKey extends RuntimeException {
    public DuplicateIdempotencyKey() {
      super("idempotency key taken", null, false, false);
    }
  }

  /**
   * {@link #insert} in the first free slot of {@code window}, starting with {@code slot}; a taken
   * slot moves on to the lowest free one; none left is the per-phone limit's refusal.
   */
  default Mono<Challenge> insertInFreeSlot(
      Challenge challenge,
      List<OutboxEvent> events,
      SendSlots.Window window,
      String slot,
      Instant now) {
    return inFreeSlot(s -> insert(challenge, events, s), window, slot, now, SLOT_TRIES);
  }

  /** {@link #resend} in the first free slot of {@code window}, like {@link #insertInFreeSlot}. */
  default Mono<Challenge> resendInFreeSlot(
      Challenge resent,
      int expectedSends,
      OutboxEvent event,
      SendSlots.Window window,
      String slot,
      Instant now) {
    return inFreeSlot(s -> resend(resent, expectedSends, event, s), window, slot, now, SLOT_TRIES);
  }

  private Mono<Challenge> inFreeSlot(
      Function<String, Mono<Challenge>> write,
      SendSlots.Window window,
      String slot,
      Instant now,
      int tries) {
    return write
        .apply(slot)
        .onErrorResume(
            SlotTaken.class,
            e ->
                tries > 1
                    ? takenSlots(window.keys())
                        .flatMap(taken -> Mono.justOrEmpty(window.firstFree(taken)))
                        .switchIfEmpty(Mono.error(() -> window.exhausted(now).asError()))
                        .flatMap(next -> inFreeSlot(write, window, next, now, tries - 1))
                    : Mono.error(window.exhausted(now).asError()));
  }
}
