package dev.signet.audit.web;

import dev.signet.audit.config.AuditProperties;
import dev.signet.audit.dashboard.OperatorSessions;
import dev.signet.platform.security.SignetSecurity;
import dev.signet.platform.web.ErrorResponder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.header.CrossOriginOpenerPolicyServerHttpHeadersWriter.CrossOriginOpenerPolicy;
import org.springframework.security.web.server.header.CrossOriginResourcePolicyServerHttpHeadersWriter.CrossOriginResourcePolicy;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.web.server.ServerWebExchange;

/**
 * audit-service's one security chain, deny by default. Public: the dashboard's static files and
 * sign-in, and the two probes. The query API and its OpenAPI document: the management secret
 * (Bearer or Basic user), or for a {@code GET} a signed-in operator whose call carries the CSRF
 * header. The dashboard's API: a signed-in operator with the CSRF header. The rest of the actuator:
 * the management secret. Anything else is denied. The matchers see the same decoded path without
 * matrix parameters as the router, and the platform's strict firewall refuses every other spelling
 * before either looks.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

  /** The strict policy of every page and answer: nothing from another origin, no framing. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  /** The dashboard's files under {@code static/dashboard}; they hold no data. */
  static final String[] DASHBOARD_PAGES = {
    "/",
    "/dashboard",
    "/dashboard/",
    "/dashboard/index.html",
    "/dashboard/favicon.svg",
    "/dashboard/css/**",
    "/dashboard/js/**"
  };

  @Bean
  SecurityWebFilterChain auditSecurityChain(
      ServerHttpSecurity http,
      AuditProperties properties,
      ErrorResponder errors,
      OperatorSessions sessions,
      ObjectProvider<DashboardSignIn> signIn) {
    var credentials =
        SignetSecurity.managementSecret(
            properties.managementSecret(),
            "signet.audit.management-secret (SIGNET_MANAGEMENT_SECRET)");
    SignetSecurity.common(http, credentials, errors)
        // The dashboard's session cookie, looked up on every request that needs a principal.
        .securityContextRepository(sessions)
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                    .frameOptions(
                        frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                    .crossOriginOpenerPolicy(
                        coop -> coop.policy(CrossOriginOpenerPolicy.SAME_ORIGIN))
                    .crossOriginResourcePolicy(
                        corp -> corp.policy(CrossOriginResourcePolicy.SAME_ORIGIN)));
    signIn.orderedStream().forEach(extra -> extra.configure(http));
    return http.authorizeExchange(
            exchanges -> {
              SignetSecurity.actuator(exchanges)
                  .pathMatchers(HttpMethod.GET, DASHBOARD_PAGES)
                  .permitAll()
                  .pathMatchers("/dashboard/api/login")
                  .permitAll();
              signIn.orderedStream().forEach(extra -> extra.permit(exchanges));
              exchanges
                  .pathMatchers("/v1/audit", "/v1/audit/**", "/v3/api-docs", "/v3/api-docs/**")
                  .access(managementOrDashboardRead())
                  .pathMatchers("/dashboard/api", "/dashboard/api/**")
                  .access(dashboardCall())
                  .anyExchange()
                  .denyAll();
            })
        .build();
  }

  /** The management secret, or a dashboard read: {@code GET}, operator session, CSRF header. */
  static ReactiveAuthorizationManager<AuthorizationContext> managementOrDashboardRead() {
    return (authentication, context) ->
        authentication
            .map(
                auth ->
                    new AuthorizationDecision(
                        has(auth, SignetSecurity.MANAGEMENT)
                            || (context.getExchange().getRequest().getMethod() == HttpMethod.GET
                                && fromDashboard(auth, context.getExchange()))))
            .defaultIfEmpty(new AuthorizationDecision(false))
            .cast(org.springframework.security.authorization.AuthorizationResult.class);
  }

  /** An operator session and the CSRF header; without the header a valid session gets 403. */
  static ReactiveAuthorizationManager<AuthorizationContext> dashboardCall() {
    return (authentication, context) ->
        authentication
            .map(auth -> new AuthorizationDecision(fromDashboard(auth, context.getExchange())))
            .defaultIfEmpty(new AuthorizationDecision(false))
            .cast(org.springframework.security.authorization.AuthorizationResult.class);
  }

  private static boolean fromDashboard(Authentication auth, ServerWebExchange exchange) {
    return has(auth, OperatorSessions.AUTHORITY)
        && "1".equals(exchange.getRequest().getHeaders().getFirst(OperatorSessions.CSRF_HEADER));
  }

  private static boolean has(Authentication auth, String authority) {
    return auth.isAuthenticated()
        && auth.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()));
  }
}
