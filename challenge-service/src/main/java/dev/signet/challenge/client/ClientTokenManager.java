package dev.signet.challenge.client;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.PresentedTokens;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.platform.security.PresentedCredential;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Authenticates a Bearer value as a client API token: verified before anything else of the request
 * is read (ES256 only, low S, a configured {@code kid}, a client kind, {@code exp}, {@code iss},
 * {@code aud}, the required claims; see {@link TokenService#verify}) and issued for this
 * deployment's tenant. An expired token is told apart ({@code expired_token}) because the browser
 * SDK reacts to it; every other rejection is {@code unauthorized}.
 */
@Component
public class ClientTokenManager implements ReactiveAuthenticationManager {

  /** Granted by a valid client token; the client API routes require it. */
  public static final String AUTHORITY = "SIGNET_CLIENT";

  /**
   * The kinds a browser holds: the track token, and what a client verify returned. The success
   * token is among them because the official browser SDK keeps the verify's {@code accessToken} as
   * its bearer token and also hands that same token to the app for its back end to validate.
   */
  static final Set<TokenKind> CLIENT_KINDS =
      EnumSet.of(TokenKind.TRACK, TokenKind.ACCESS, TokenKind.SUCCESS);

  private final TokenService tokens;
  private final String tenantId;

  ClientTokenManager(TokenService tokens, ChallengeProperties properties) {
    this.tokens = tokens;
    this.tenantId = properties.tenantId();
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    if (!(authentication instanceof PresentedCredential presented)) {
      return Mono.empty();
    }
    return PresentedTokens.verify(tokens, tenantId, presented.value(), CLIENT_KINDS)
        .<Authentication>map(
            valid ->
                new Authenticated(
                    new ClientToken(
                        valid.kind(),
                        valid.claims(),
                        valid.tokenId(),
                        valid.authTime(),
                        ClientScopes.parse(valid.claims().scope()))));
  }

  /** The verified token as the request's principal. */
  static final class Authenticated extends AbstractAuthenticationToken {

    private final ClientToken token;

    Authenticated(ClientToken token) {
      super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
      this.token = token;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public ClientToken getPrincipal() {
      return token;
    }

    @Override
    public String getName() {
      return token.userId();
    }

    @Override
    public String toString() {
      // Never the token itself.
      return "ClientToken[" + token.kind() + ", jti=" + token.tokenId() + "]";
    }
  }
}
