package dev.signet.challenge.client;

import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import java.time.Instant;
import java.util.Set;

/**
 * The verified bearer token of a client API request: whose it is, which action attempt it belongs
 * to, when that attempt was first authenticated, and what it allows. Every client route acts only
 * on this user and this action; nothing in the request body can widen it.
 */
record ClientToken(
    TokenKind kind, TokenClaims claims, String tokenId, Instant authTime, Set<String> scopes) {

  String userId() {
    return claims.userId();
  }

  /** Id of the action attempt (user, action code, idempotency key) the token belongs to. */
  String actionId() {
    return ActionStore.id(claims.userId(), claims.actionCode(), claims.idempotencyKey());
  }

  boolean allows(String scope) {
    return scopes.contains(scope);
  }
}
