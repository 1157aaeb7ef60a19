package dev.signet.challenge.validate;

import dev.signet.challenge.action.Action;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.challenge.validate.ValidationResult.ActionState;
import dev.signet.challenge.validate.ValidationResult.Invalid;
import java.util.EnumSet;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a token and reports the current state of the action it refers to. The token alone only
 * proves that a challenge was claimed for the user; whether it still counts is read from the action
 * in the {@link ActionStore}, so a later state change (e.g. a review rejecting the action) shows.
 */
@Component
class TokenValidator {

  private final TokenService tokens;
  private final ActionStore actions;

  TokenValidator(TokenService tokens, ActionStore actions) {
    this.tokens = tokens;
    this.actions = actions;
  }

  Mono<ValidationResult> validate(String token, String expectedUserId, String expectedAction) {
    // Only a success token proves a challenge: a track or access token of the same action is a
    // browser's credential, and is answered as invalid whatever the action's state.
    TokenVerification verification = tokens.verify(token, EnumSet.of(TokenKind.SUCCESS));
    if (verification instanceof TokenVerification.Rejected rejected) {
      return Mono.just(new Invalid(rejected.reason().description()));
    }
    TokenClaims claims = ((TokenVerification.Valid) verification).claims();
    if (expectedUserId != null && !expectedUserId.equals(claims.userId())) {
      return Mono.just(new Invalid("The token does not belong to this user."));
    }
    if (expectedAction != null && !expectedAction.equals(claims.actionCode())) {
      return Mono.just(new Invalid("The token was not issued for this action."));
    }
    return actions
        .find(ActionStore.id(claims.userId(), claims.actionCode(), claims.idempotencyKey()))
        .<ValidationResult>map(action -> state(claims, action))
        .defaultIfEmpty(new Invalid("The action this token refers to does not exist."));
  }

  private static ValidationResult state(TokenClaims claims, Action action) {
    return new ActionState(
        claims.userId(),
        claims.actionCode(),
        claims.idempotencyKey(),
        action.state() == null ? null : action.state().name(),
        action.stateUpdatedAt(),
        action.verificationMethod());
  }
}
