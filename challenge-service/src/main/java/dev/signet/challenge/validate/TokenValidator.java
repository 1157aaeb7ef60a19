package dev.signet.challenge.validate;

import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.challenge.validate.ValidationResult.ActionState;
import dev.signet.challenge.validate.ValidationResult.Invalid;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a token and reports the current state of the action it refers to. The token alone only
 * proves that a challenge was claimed for the user; whether it still counts is read from the {@code
 * actions} document, so a later state change (e.g. a review rejecting the action) shows.
 */
@Component
class TokenValidator {

  static final String ACTIONS = "actions";

  private final TokenService tokens;
  private final ReactiveMongoTemplate mongo;

  TokenValidator(TokenService tokens, ReactiveMongoTemplate mongo) {
    this.tokens = tokens;
    this.mongo = mongo;
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
    String id = claims.userId() + ":" + claims.actionCode() + ":" + claims.idempotencyKey();
    return mongo
        .findOne(Query.query(Criteria.where("_id").is(id)), Document.class, ACTIONS)
        .<ValidationResult>map(document -> state(claims, document))
        .defaultIfEmpty(new Invalid("The action this token refers to does not exist."));
  }

  private static ValidationResult state(TokenClaims claims, Document action) {
    return new ActionState(
        claims.userId(),
        claims.actionCode(),
        claims.idempotencyKey(),
        action.get("state") instanceof String state ? state : null,
        instant(action.get("stateUpdatedAt")),
        action.get("verificationMethod") instanceof String method ? method : null);
  }

  private static Instant instant(Object value) {
    if (value instanceof Date date) {
      return date.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    return null;
  }
}
