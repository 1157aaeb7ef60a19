package dev.signet.challenge.ui;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.PresentedTokens;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.platform.security.PresentedCredential;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/**
 * Authenticates the token in the hosted page's URL. Only a track token opens the page: it is what
 * track put into {@code url}, and an access or success token (which a page already minted) must
 * never start a second page. Checked like every client token (ES256, low S, {@code kid}, {@code
 * exp}, {@code iss}, {@code aud}, claims) and for this deployment's tenant.
 */
// Not a bean: a second ReactiveAuthenticationManager bean would confuse Spring Security's defaults.
class UiTokenManager implements ReactiveAuthenticationManager {

  static final Set<TokenKind> KINDS = EnumSet.of(TokenKind.TRACK);

  private final TokenService tokens;
  private final String tenantId;

  UiTokenManager(TokenService tokens, ChallengeProperties properties) {
    this.tokens = tokens;
    this.tenantId = properties.tenantId();
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    if (!(authentication instanceof PresentedCredential presented)) {
      return Mono.empty();
    }
    return PresentedTokens.verify(tokens, tenantId, presented.value(), KINDS)
        .<Authentication>map(valid -> new UiToken(valid.claims(), valid.tokenId()));
  }
}
