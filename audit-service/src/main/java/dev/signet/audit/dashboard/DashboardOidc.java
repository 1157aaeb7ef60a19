package dev.signet.audit.dashboard;

import dev.signet.audit.web.DashboardSignIn;
import java.net.URI;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import reactor.core.publisher.Mono;

/**
 * Dashboard sign-in through an OpenID Connect provider (on when {@code
 * signet.dashboard.oidc.issuer-uri} is set): Spring Security's {@code oauth2Login} runs the
 * authorization code flow; a user the provider vouches for and who passes the configured check
 * (allow-list of user names, a required claim value, or both) gets the same server-side dashboard
 * session as a password sign-in. Nobody else gets a session: an identity provider usually knows
 * many more people than the operators.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OidcEnabled.class)
class DashboardOidc {

  static final String REGISTRATION_ID = "oidc";

  private static final Logger log = LoggerFactory.getLogger(DashboardOidc.class);

  @Bean
  ReactiveClientRegistrationRepository dashboardOidcClients(DashboardProperties properties) {
    DashboardProperties.Oidc oidc = properties.oidc();
    if (oidc.clientId() == null || oidc.clientId().isBlank()) {
      throw new IllegalStateException(
          "signet.dashboard.oidc.client-id (SIGNET_DASHBOARD_OIDC_CLIENT_ID) must be configured");
    }
    if (oidc.allowedUsers().isEmpty() && blank(oidc.requiredClaim())) {
      throw new IllegalStateException(
          "OIDC sign-in needs signet.dashboard.oidc.allowed-users"
              + " (SIGNET_DASHBOARD_OIDC_ALLOWED_USERS) or signet.dashboard.oidc.required-claim"
              + " (SIGNET_DASHBOARD_OIDC_REQUIRED_CLAIM): otherwise anyone the provider knows"
              + " would be an operator");
    }
    // Reads the provider's discovery document once, at start-up.
    ClientRegistration registration =
        ClientRegistrations.fromIssuerLocation(oidc.issuerUri())
            .registrationId(REGISTRATION_ID)
            .clientId(oidc.clientId())
            .clientSecret(oidc.clientSecret())
            .scope("openid", "profile", "email")
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .build();
    return new InMemoryReactiveClientRegistrationRepository(registration);
  }

  @Bean
  DashboardSignIn dashboardOidcSignIn(
      DashboardProperties properties,
      ReactiveClientRegistrationRepository clients,
      OperatorSessions sessions,
      SessionCookies cookies) {
    DashboardProperties.Oidc oidc = properties.oidc();
    ReactiveOAuth2UserService<OidcUserRequest, OidcUser> users = operatorsOnly(oidc);
    ServerAuthenticationSuccessHandler startSession = startSession(oidc, sessions, cookies);
    return new DashboardSignIn() {
      @Override
      public void configure(ServerHttpSecurity http) {
        http.oauth2Login(
            login ->
                login
                    .clientRegistrationRepository(clients)
                    .authenticationManager(
                        new OidcAuthorizationCodeReactiveAuthenticationManager(
                            new WebClientReactiveAuthorizationCodeTokenResponseClient(), users))
                    // The dashboard's own session is the only context that outlives the flow.
                    .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                    .authenticationSuccessHandler(startSession)
                    .authenticationFailureHandler(
                        new RedirectServerAuthenticationFailureHandler(
                            "/dashboard/?signin=refused")));
      }

      @Override
      public void permit(ServerHttpSecurity.AuthorizeExchangeSpec exchanges) {
        exchanges
            .pathMatchers(
                HttpMethod.GET,
                "/oauth2/authorization/" + REGISTRATION_ID,
                "/login/oauth2/code/" + REGISTRATION_ID)
            .permitAll();
      }
    };
  }

  /**
   * After the provider's login: the dashboard's own session cookie, then the flow's WebSession is
   * dropped (it is not needed again) and the operator lands on the dashboard.
   */
  private static ServerAuthenticationSuccessHandler startSession(
      DashboardProperties.Oidc oidc, OperatorSessions sessions, SessionCookies cookies) {
    return (filterExchange, authentication) -> {
      OidcUser user = (OidcUser) authentication.getPrincipal();
      String operator = user.getClaimAsString(oidc.usernameClaim());
      var exchange = filterExchange.getExchange();
      return sessions
          .create(operator, "oidc")
          .flatMap(
              issued -> {
                log.info(
                    "dashboard sign-in requestId={} operator={} method=oidc",
                    exchange.getRequest().getId(),
                    operator);
                exchange
                    .getResponse()
                    .getHeaders()
                    .add(
                        HttpHeaders.SET_COOKIE,
                        cookies.issue(issued.token(), sessions.ttl()).toString());
                return exchange
                    .getSession()
                    .flatMap(session -> session.invalidate())
                    .then(
                        new DefaultServerRedirectStrategy()
                            .sendRedirect(exchange, URI.create("/dashboard/")));
              });
    };
  }

  /** The provider's user, refused unless the configured checks pass. */
  static ReactiveOAuth2UserService<OidcUserRequest, OidcUser> operatorsOnly(
      DashboardProperties.Oidc oidc) {
    OidcReactiveOAuth2UserService provider = new OidcReactiveOAuth2UserService();
    return request ->
        provider
            .loadUser(request)
            .flatMap(
                user -> {
                  String name = user.getClaimAsString(oidc.usernameClaim());
                  if (name == null || !OperatorAccounts.USERNAME.matcher(name).matches()) {
                    log.warn(
                        "dashboard OIDC sign-in refused: no usable {} claim", oidc.usernameClaim());
                    return Mono.error(refused());
                  }
                  if (!allowed(oidc, name, user)) {
                    log.warn("dashboard OIDC sign-in refused operator={}", name);
                    return Mono.error(refused());
                  }
                  return Mono.just(user);
                });
  }

  /** Every configured check must pass (at least one is configured: see above). */
  static boolean allowed(DashboardProperties.Oidc oidc, String name, OidcUser user) {
    if (!oidc.allowedUsers().isEmpty()
        && oidc.allowedUsers().stream().map(String::strip).noneMatch(name::equals)) {
      return false;
    }
    if (!blank(oidc.requiredClaim())) {
      Object value = user.getClaims().get(oidc.requiredClaim());
      String required = oidc.requiredValue() == null ? "" : oidc.requiredValue();
      boolean holds =
          value instanceof Collection<?> values
              ? values.stream().anyMatch(v -> required.equals(String.valueOf(v)))
              : value != null && required.equals(String.valueOf(value));
      return holds;
    }
    return true;
  }

  private static OAuth2AuthenticationException refused() {
    return new OAuth2AuthenticationException(
        new OAuth2Error("access_denied", "Not an operator of this dashboard.", null));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
