package dev.signet.challenge.action;

import java.util.Optional;

/** Outcome of a move of an action's state: it moved, or why it did not. */
public sealed interface Transition {

  /** The action moved; {@code action} is its state after the move. */
  record Moved(Action action, ActionState previous) implements Transition {}

  /**
   * The action did not move: it does not exist ({@code current} empty), the lifecycle does not
   * allow the move, or the action is not (any more) in the expected state.
   */
  record Refused(Reason reason, Optional<Action> current) implements Transition {}

  /** Why a move was refused. */
  enum Reason {
    NOT_FOUND,
    NOT_ALLOWED,
    STATE_CHANGED
  }
}
