package dev.signet.challenge.action;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * State of a tracked action as the API reports it, with the lifecycle challenge-service enforces. A
 * rules decision gives the first state; only the moves of {@link #canMoveTo} follow it: a challenge
 * or a review is resolved once, and {@code ALLOW}, {@code BLOCK} and every outcome are final.
 */
public enum ActionState {
  ALLOW,
  BLOCK,
  CHALLENGE_REQUIRED,
  CHALLENGE_SUCCEEDED,
  CHALLENGE_FAILED,
  REVIEW_REQUIRED,
  REVIEW_SUCCEEDED,
  REVIEW_FAILED;

  private static final Map<ActionState, Set<ActionState>> NEXT =
      Map.of(
          CHALLENGE_REQUIRED, EnumSet.of(CHALLENGE_SUCCEEDED, CHALLENGE_FAILED),
          REVIEW_REQUIRED, EnumSet.of(REVIEW_SUCCEEDED, REVIEW_FAILED));

  /** Whether the lifecycle allows moving from this state to {@code next}. */
  public boolean canMoveTo(ActionState next) {
    return NEXT.getOrDefault(this, Set.of()).contains(next);
  }

  /** Whether no move leaves this state. */
  public boolean isFinal() {
    return !NEXT.containsKey(this);
  }

  /** The state named {@code name} exactly (API spelling), if any. */
  public static Optional<ActionState> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (ActionState state : values()) {
      if (state.name().equals(name)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
