package dev.signet.challenge.action;

import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one owner of the actions collection: actions by user, action code and idempotency key, the
 * state a token refers to and {@code /v1/validate} reports. Tracked actions and the actions of
 * claimed sign-in challenges share it.
 *
 * <p>Every write that changes a state is conditional and atomic: it applies only while the stored
 * action is still in the state the caller read, and it stores the change's event (for the outbox)
 * in the same write. Two racing moves from one state therefore give exactly one winner.
 */
public interface ActionStore {

  String COLLECTION = "actions";

  static String id(String userId, String actionCode, String idempotencyKey) {
    return userId + ":" + actionCode + ":" + idempotencyKey;
  }

  /**
   * Inserts a tracked action awaiting its decision, with its decision request event; emits false
   * (and writes nothing) when an action with its key exists.
   */
  Mono<Boolean> insertDeciding(Action deciding, OutboxEvent request);

  /** The action, or empty when unknown. */
  Mono<Action> find(String id);

  /**
   * Replaces the state-related fields of the action {@code next.id()} by {@code next}'s, with
   * {@code event} for the outbox, only while its state is {@code expected} ({@code null}: awaiting
   * its decision). Emits the stored action after the write, or empty when it was not in {@code
   * expected} (or does not exist).
   */
  Mono<Action> replace(Action next, ActionState expected, OutboxEvent event);

  /** Records the hosted page's first open of the attempt; false when it was opened before. */
  Mono<Boolean> markHostedPageOpened(String id, Instant at);

  /** Records a decision that came after the action had its state (kept for the record only). */
  Mono<Void> recordLateDecision(String id, Decision decision, Instant receivedAt);

  /**
   * A user's newest actions first, at most {@code limit}: created at or after {@code from} (when
   * given), with one of {@code codes} (when not empty), in {@code state} or still awaiting their
   * decision (when given).
   */
  Flux<Action> list(String userId, Instant from, List<String> codes, ActionState state, int limit);

  /**
   * Inserts the action of a claimed challenge with its state, and only if no action with this user,
   * action code and idempotency key exists: a claim never changes an existing action (a tracked
   * action that was blocked or sent to review keeps that state). Emits whether it inserted.
   */
  Mono<Boolean> insertClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod);

  /**
   * Sets an action's state whatever it was (test fixtures arrange states with it); the claim path
   * uses {@link #insertClaimedChallenge}, which never overwrites.
   */
  Mono<Void> recordClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod);
}
