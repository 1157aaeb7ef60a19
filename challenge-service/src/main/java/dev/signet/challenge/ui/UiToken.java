package dev.signet.challenge.ui;

import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.token.TokenClaims;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The verified track token of a hosted page request: the user and action attempt the page is for,
 * and its scopes. The page acts on nothing else.
 */
final class UiToken extends AbstractAuthenticationToken {

  /** Granted by a valid track token in the page URL. */
  static final String AUTHORITY = "SIGNET_HOSTED_PAGE";

  private final TokenClaims claims;
  private final String tokenId;

  UiToken(TokenClaims claims, String tokenId) {
    super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
    this.claims = claims;
    this.tokenId = tokenId;
    setAuthenticated(true);
  }

  TokenClaims claims() {
    return claims;
  }

  String actionId() {
    return ActionStore.id(claims.userId(), claims.actionCode(), claims.idempotencyKey());
  }

  Set<String> scopes() {
    return claims.scope().isBlank() ? Set.of() : Set.of(claims.scope().trim().split(" +"));
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public TokenClaims getPrincipal() {
    return claims;
  }

  @Override
  public String getName() {
    return claims.userId();
  }

  @Override
  public String toString() {
    // Never the token itself.
    return "UiToken[jti=" + tokenId + "]";
  }
}
