package dev.signet.challenge.token;

import dev.signet.platform.security.CredentialRejectedException;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The check every browser-held token gets before a request is read: verified as one of the kinds
 * the route accepts ({@link TokenService#verify}) and issued for this deployment's tenant. An
 * expired token is told apart ({@code expired_token}) because the browser SDK reacts to it; every
 * other rejection is {@code unauthorized}.
 */
public final class PresentedTokens {

  private PresentedTokens() {}

  /** The valid token, or a {@link CredentialRejectedException} saying why not. */
  public static Mono<TokenVerification.Valid> verify(
      TokenService tokens, String tenantId, String value, Set<TokenKind> kinds) {
    TokenVerification verification = tokens.verify(value, kinds);
    if (verification instanceof TokenVerification.Rejected rejected) {
      String code =
          rejected.reason() == TokenVerification.Reason.EXPIRED ? "expired_token" : "unauthorized";
      return Mono.error(new CredentialRejectedException(code, rejected.reason().description()));
    }
    TokenVerification.Valid valid = (TokenVerification.Valid) verification;
    if (!tenantId.equals(valid.claims().tenantId())) {
      return Mono.error(
          new CredentialRejectedException(
              "unauthorized", "The token was issued for another tenant."));
    }
    return Mono.just(valid);
  }
}
