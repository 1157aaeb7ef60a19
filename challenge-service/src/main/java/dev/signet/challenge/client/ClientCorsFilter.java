package dev.signet.challenge.client;

import dev.signet.challenge.web.ErrorBodies;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS for the client API: a request from a configured origin gets {@code
 * Access-Control-Allow-Origin} naming that origin (never {@code *}), and its preflight is answered
 * here with 204, allowing {@code Authorization} and {@code Content-Type}. Any other origin gets no
 * CORS header at all, so the browser keeps the page from reading the response. Credentials
 * (cookies) are not allowed: the client API authenticates with the bearer token only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ClientCorsFilter implements WebFilter {

  static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
  static final String ALLOWED_HEADERS = "Authorization, Content-Type";
  static final String MAX_AGE_SECONDS = "600";

  private final CorsConfiguration origins;

  ClientCorsFilter(ClientProperties properties) {
    this.origins = new CorsConfiguration();
    // Origin patterns also match exact origins; matching is Spring's, case-insensitive on scheme
    // and host, and never lets "https://app.example.com.evil.test" pass for the exact origin.
    this.origins.setAllowedOriginPatterns(List.copyOf(properties.allowedOrigins()));
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var request = exchange.getRequest();
    if (!request.getPath().value().startsWith(ErrorBodies.CLIENT_PREFIX)) {
      return chain.filter(exchange);
    }
    String origin = request.getHeaders().getOrigin();
    boolean preflight =
        HttpMethod.OPTIONS.equals(request.getMethod())
            && origin != null
            && request.getHeaders().containsHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    HttpHeaders headers = exchange.getResponse().getHeaders();
    headers.add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    String allowed = origin == null ? null : origins.checkOrigin(origin);
    if (allowed != null) {
      headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    }
    if (!preflight) {
      return chain.filter(exchange);
    }
    if (allowed != null) {
      headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
      headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
      headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
    }
    // A preflight never reaches the routes: it carries no token and changes nothing.
    exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
    return exchange.getResponse().setComplete();
  }
}
