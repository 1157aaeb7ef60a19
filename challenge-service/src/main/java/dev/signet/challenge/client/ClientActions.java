package dev.signet.challenge.client;

import dev.signet.challenge.action.Action;
import dev.signet.challenge.action.ActionChange;
import dev.signet.challenge.action.ActionLifecycle;
import dev.signet.challenge.action.ActionState;
import dev.signet.challenge.action.CompletedVia;
import dev.signet.challenge.action.StateChangeCause;
import dev.signet.challenge.action.Transition;
import dev.signet.challenge.web.ApiException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The client API's view of the token's action: its current state, and the two moves a challenge
 * outcome makes through the {@link ActionLifecycle} (with its state-changed event). A move that the
 * action refuses, because a concurrent or replayed verify already moved it, is an error: the caller
 * must not report success for it.
 */
@Component
class ClientActions {

  private final ActionLifecycle lifecycle;

  ClientActions(ActionLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /** The action's state; an unknown or still undecided action is an invalid request. */
  Mono<ActionState> state(ClientToken token) {
    return action(token).map(Action::state);
  }

  /** The token's action; an unknown or still undecided action is an invalid request. */
  Mono<Action> action(ClientToken token) {
    var claims = token.claims();
    return lifecycle
        .find(claims.userId(), claims.actionCode(), claims.idempotencyKey())
        .flatMap(
            action -> {
              if (action.isEmpty()) {
                return Mono.error(
                    ApiException.invalid("The action this token refers to does not exist."));
              }
              if (action.get().deciding()) {
                return Mono.error(
                    ApiException.invalid("The action of this token is still being decided."));
              }
              return Mono.just(action.get());
            });
  }

  /** Whether the hosted page was opened for the token's action attempt. */
  Mono<Boolean> openedInHostedPage(ClientToken token) {
    var claims = token.claims();
    return lifecycle.openedInHostedPage(
        claims.userId(), claims.actionCode(), claims.idempotencyKey());
  }

  Mono<Void> challengeSucceeded(
      ClientToken token,
      String verificationMethod,
      String challengeId,
      String userAuthenticatorId,
      String correlationId,
      CompletedVia via) {
    return move(
        token,
        ActionState.CHALLENGE_SUCCEEDED,
        StateChangeCause.CHALLENGE_VERIFIED,
        verificationMethod,
        challengeId,
        userAuthenticatorId,
        correlationId,
        via);
  }

  Mono<Void> challengeFailed(
      ClientToken token,
      String verificationMethod,
      String challengeId,
      String correlationId,
      CompletedVia via) {
    return move(
        token,
        ActionState.CHALLENGE_FAILED,
        StateChangeCause.CHALLENGE_FAILED,
        verificationMethod,
        challengeId,
        null,
        correlationId,
        via);
  }

  private Mono<Void> move(
      ClientToken token,
      ActionState to,
      StateChangeCause cause,
      String verificationMethod,
      String challengeId,
      String userAuthenticatorId,
      String correlationId,
      CompletedVia via) {
    var claims = token.claims();
    return lifecycle
        .transition(
            claims.userId(),
            claims.actionCode(),
            claims.idempotencyKey(),
            ActionChange.challengeOutcome(
                to, cause, verificationMethod, challengeId, userAuthenticatorId, via),
            correlationId)
        .flatMap(
            transition ->
                transition instanceof Transition.Refused refused
                    ? Mono.error(
                        ApiException.invalid(
                            "The action of this token is "
                                + refused
                                    .current()
                                    .map(a -> String.valueOf(a.state()))
                                    .orElse("unknown")
                                + ": its challenge can no longer be verified."))
                    : Mono.empty());
  }
}
