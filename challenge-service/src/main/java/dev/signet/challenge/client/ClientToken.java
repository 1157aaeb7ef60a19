package dev.signet.challenge.client;

import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.token.TokenClaims;
import java.util.Set;

/**
 * The verified bearer token of a client API request: whose it is, which action attempt it belongs
 * to and what it allows. Every client route acts only on this user and this action; nothing in the
 * request body can widen it.
 */
record ClientToken(TokenClaims claims, String tokenId, Set<String> scopes) {

  static final String ATTRIBUTE = ClientToken.class.getName();

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
