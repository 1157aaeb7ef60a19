package dev.signet.audit.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The dashboard's protection, in front of everything else an operator's browser reaches.
 *
 * <ul>
 *   <li>Pages ({@code /}, {@code /dashboard/**}) get a strict Content-Security-Policy (scripts,
 *       styles and data from this origin only; no inline script, no framing) and the usual
 *       hardening headers. The static files hold no data and are served to anyone.
 *   <li>{@code /dashboard/api/**} (except sign-in) needs a valid session cookie.
 *   <li>Every dashboard call must carry {@code X-Signet-Dashboard: 1}: a custom header a foreign
 *       page cannot send without a CORS preflight this service never grants, on top of the cookie's
 *       {@code SameSite=Strict} (defence against cross-site request forgery).
 *   <li>A read ({@code GET}) of the query API {@code /v1/audit/**} from a signed-in dashboard
 *       (cookie and header, no {@code Authorization}) is passed on with the management secret as
 *       its Bearer token, so the query API's own check applies unchanged and the browser never
 *       holds the secret.
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class DashboardSecurityFilter implements WebFilter {

  static final String SESSION_ATTRIBUTE = DashboardSecurityFilter.class.getName() + ".session";
  static final String CSRF_HEADER = "X-Signet-Dashboard";
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final String API = "/dashboard/api";
  private static final String LOGIN = API + "/login";
  private static final String QUERY_API = "/v1/audit";

  private final SessionTokens tokens;
  private final SessionCookies cookies;
  private final String managementSecret;

  DashboardSecurityFilter(
      SessionTokens tokens, SessionCookies cookies, DashboardProperties properties) {
    this.tokens = tokens;
    this.cookies = cookies;
    this.managementSecret = properties.managementSecret();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    boolean dashboard = path.equals("/dashboard") || path.startsWith("/dashboard/");
    if (dashboard || path.equals("/")) {
      harden(exchange.getResponse().getHeaders(), path.startsWith(API));
    }
    if (path.equals(API) || path.startsWith(API + "/")) {
      if (!"1".equals(exchange.getRequest().getHeaders().getFirst(CSRF_HEADER))) {
        return refuse(
            exchange.getResponse(),
            new DashboardException(
                org.springframework.http.HttpStatus.FORBIDDEN,
                "forbidden",
                "Dashboard calls must carry the header " + CSRF_HEADER + ": 1."));
      }
      if (path.equals(LOGIN)) {
        return chain.filter(exchange);
      }
      Optional<SessionTokens.Session> session = session(exchange);
      if (session.isEmpty()) {
        return refuse(exchange.getResponse(), DashboardException.unauthorized());
      }
      exchange.getAttributes().put(SESSION_ATTRIBUTE, session.get());
      return chain.filter(exchange);
    }
    if ((path.equals(QUERY_API) || path.startsWith(QUERY_API + "/"))
        && fromSignedInDashboard(exchange)) {
      ServerWebExchange authorized =
          exchange.mutate().request(r -> r.headers(h -> h.setBearerAuth(managementSecret))).build();
      harden(authorized.getResponse().getHeaders(), true);
      return chain.filter(authorized);
    }
    return chain.filter(exchange);
  }

  private boolean fromSignedInDashboard(ServerWebExchange exchange) {
    var request = exchange.getRequest();
    return (request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD)
        && !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
        && "1".equals(request.getHeaders().getFirst(CSRF_HEADER))
        && session(exchange).isPresent();
  }

  private Optional<SessionTokens.Session> session(ServerWebExchange exchange) {
    HttpCookie cookie = exchange.getRequest().getCookies().getFirst(cookies.name());
    return cookie == null ? Optional.empty() : tokens.verify(cookie.getValue());
  }

  private static void harden(HttpHeaders headers, boolean api) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    if (api) {
      headers.setCacheControl("no-store");
    }
  }

  static Mono<Void> refuse(ServerHttpResponse response, DashboardException error) {
    response.setStatusCode(error.status());
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getHeaders().setCacheControl("no-store");
    byte[] body = DashboardErrors.body(error.code(), error.getMessage());
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
