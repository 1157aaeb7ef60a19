package dev.signet.challenge.ui;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenService;
import dev.signet.platform.security.PresentedCredential;
import dev.signet.platform.security.SignetSecurity;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;

/**
 * The security chain of the hosted page ({@code /ui} and below), deny by default like the service's
 * main chain, which handles every other path:
 *
 * <ul>
 *   <li>{@code GET /ui}: a track token in the {@code token} query parameter (the page's URL is its
 *       credential; the {@code Authorization} header is not read here);
 *   <li>{@code GET /ui/assets/**}, {@code /ui/brand.css}, {@code /ui/brand/logo}: public, they hold
 *       no data;
 *   <li>anything else under {@code /ui}: denied.
 * </ul>
 *
 * <p>Every answer carries a strict Content-Security-Policy without {@code 'unsafe-inline'}, whose
 * {@code frame-ancestors} lists only the configured app origins ({@code 'none'} when there are
 * none), and {@code Referrer-Policy: no-referrer}, so the page's URL with its token never leaves in
 * a {@code Referer}. No {@code X-Frame-Options} (it cannot name several origins; {@code
 * frame-ancestors} decides) and no {@code Cross-Origin-Opener-Policy}, which would cut the window
 * mode's link to its opener.
 */
@Configuration(proxyBeanMethods = false)
class UiSecurityConfiguration {

  static final String PAGE = "/ui";
  static final String[] PUBLIC_FILES = {"/ui/assets/**", "/ui/brand.css", "/ui/brand/logo"};

  /** The policy of the page; {@code %s} is the frame-ancestors source list. */
  static String contentSecurityPolicy(List<OriginPattern> frameOrigins) {
    String ancestors =
        frameOrigins.isEmpty()
            ? "'none'"
            : frameOrigins.stream().map(OriginPattern::cspSource).collect(Collectors.joining(" "));
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
        + ancestors;
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  SecurityWebFilterChain hostedPageChain(
      ServerHttpSecurity http,
      TokenService tokenService,
      ChallengeProperties challenge,
      UiProperties ui,
      ErrorResponder errors,
      HostedPage page) {
    AuthenticationWebFilter authentication = tokenFilter(tokenService, challenge, errors, page);
    String csp = contentSecurityPolicy(ui.framePatterns());
    return SignetSecurity.stateless(
            http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(PAGE, "/ui/**")))
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(policy -> policy.policyDirectives(csp))
                    .frameOptions(ServerHttpSecurity.HeaderSpec.FrameOptionsSpec::disable)
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint(
                        (exchange, e) ->
                            page.refuse(
                                exchange,
                                errors,
                                HttpError.unauthorized(
                                    "The page needs the token of its link: open the url that"
                                        + " track returned.")))
                    .accessDeniedHandler(
                        (exchange, denied) ->
                            page.refuse(
                                exchange,
                                errors,
                                HttpError.forbidden(
                                    "The credential is valid but not for this route."))))
        .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(HttpMethod.GET, PUBLIC_FILES)
                    .permitAll()
                    .pathMatchers(HttpMethod.GET, PAGE)
                    .hasAuthority(UiToken.AUTHORITY)
                    .anyExchange()
                    .denyAll())
        .build();
  }

  /**
   * Authenticates the page's {@code GET} by the track token in its link; two tokens are no token.
   */
  private static AuthenticationWebFilter tokenFilter(
      TokenService tokenService,
      ChallengeProperties challenge,
      ErrorResponder errors,
      HostedPage page) {
    AuthenticationWebFilter authentication =
        new AuthenticationWebFilter(new UiTokenManager(tokenService, challenge));
    authentication.setRequiresAuthenticationMatcher(
        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, PAGE));
    authentication.setServerAuthenticationConverter(
        exchange -> {
          List<String> values = exchange.getRequest().getQueryParams().get("token");
          if (values == null || values.isEmpty()) {
            return Mono.empty();
          }
          // Two tokens are no token: which one would the page use?
          return Mono.just(
              new PresentedCredential(
                  values.size() == 1
                      ? PresentedCredential.Scheme.BEARER
                      : PresentedCredential.Scheme.UNUSABLE,
                  values.size() == 1 ? values.get(0) : ""));
        });
    authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    authentication.setAuthenticationFailureHandler(
        (filterExchange, exception) ->
            page.refuse(filterExchange.getExchange(), errors, SignetSecurity.rejected(exception)));
    return authentication;
  }
}
