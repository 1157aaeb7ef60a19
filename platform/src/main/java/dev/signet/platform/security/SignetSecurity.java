package dev.signet.platform.security;

import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The parts of every Signet service's {@code SecurityWebFilterChain} that are the same everywhere:
 * stateless credential authentication from the {@code Authorization} header, JSON 401 and 403
 * bodies through the service's {@link ErrorResponder}, no form login, no HTTP session, and the
 * actuator rule (only the liveness and readiness probes are public). Each service adds its own
 * route rules and must end them with {@code anyExchange().denyAll()}: deny by default.
 */
public final class SignetSecurity {

  /** Granted by the API secret (Authsignal-compatible server API). */
  public static final String API = "SIGNET_API";

  /** Granted by the management secret (management APIs, actuator). */
  public static final String MANAGEMENT = "SIGNET_MANAGEMENT";

  /** The only actuator routes anyone may call: a load balancer's or orchestrator's probes. */
  public static final String[] PUBLIC_PROBES = {
    "/actuator/health/liveness", "/actuator/health/readiness"
  };

  private SignetSecurity() {}

  /**
   * Applies the common parts to {@code http}; the caller adds {@code authorizeExchange} rules and
   * builds the chain.
   */
  public static ServerHttpSecurity common(
      ServerHttpSecurity http, ReactiveAuthenticationManager credentials, ErrorResponder errors) {
    return common(http, credentials, errors, ServerWebExchangeMatchers.anyExchange());
  }

  /**
   * As {@link #common(ServerHttpSecurity, ReactiveAuthenticationManager, ErrorResponder)}, reading
   * the {@code Authorization} header as a Signet credential only on {@code credentialRoutes}: a
   * route whose header belongs to someone else (a provider's signed webhook) is left to its own
   * check.
   */
  public static ServerHttpSecurity common(
      ServerHttpSecurity http,
      ReactiveAuthenticationManager credentials,
      ErrorResponder errors,
      ServerWebExchangeMatcher credentialRoutes) {
    AuthenticationWebFilter authentication = new AuthenticationWebFilter(credentials);
    authentication.setRequiresAuthenticationMatcher(credentialRoutes);
    authentication.setServerAuthenticationConverter(new AuthorizationHeaderConverter());
    authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    authentication.setAuthenticationFailureHandler(
        (filterExchange, exception) ->
            errors.write(filterExchange.getExchange(), rejected(exception)));
    return stateless(http)
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint(
                        (exchange, e) ->
                            errors.write(
                                exchange,
                                HttpError.unauthorized(errors.unauthorizedDescription(exchange))))
                    .accessDeniedHandler(
                        (exchange, denied) ->
                            errors.write(
                                exchange,
                                HttpError.forbidden(
                                    "The credential is valid but not for this route."))))
        .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION);
  }

  /**
   * A chain that keeps nothing between requests and offers no browser login: no CSRF token, no
   * Basic challenge, no login or logout page, no anonymous principal, no saved request, no HTTP
   * session. Every request carries its own credential.
   */
  public static ServerHttpSecurity stateless(ServerHttpSecurity http) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
  }

  /**
   * The credentials of a surface only operators use: the management secret, as a Bearer value or
   * the Basic user name, granting {@link #MANAGEMENT}.
   *
   * @param setting the property and variable that configure the secret, named when it is missing
   */
  public static ReactiveAuthenticationManager managementSecret(String secret, String setting) {
    return CredentialAuthenticationManager.builder()
        .bearerOrBasicUser(SharedSecret.of(secret, setting), MANAGEMENT)
        .build();
  }

  /** The actuator rule: public probes, everything else needs the management secret. */
  public static AuthorizeExchangeSpec actuator(AuthorizeExchangeSpec exchanges) {
    return exchanges
        .pathMatchers(HttpMethod.GET, PUBLIC_PROBES)
        .permitAll()
        .pathMatchers("/actuator", "/actuator/**")
        .hasAuthority(MANAGEMENT);
  }

  /** The documented error for a failed authentication attempt. */
  public static HttpError rejected(AuthenticationException exception) {
    String code =
        exception instanceof CredentialRejectedException rejected
            ? rejected.code()
            : "unauthorized";
    String description =
        exception instanceof CredentialRejectedException
            ? exception.getMessage()
            : "The credential is not valid for this service.";
    return new HttpError(org.springframework.http.HttpStatus.UNAUTHORIZED, code, description);
  }
}
