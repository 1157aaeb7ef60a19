package dev.signet.challenge.security;

import dev.signet.challenge.client.ClientProperties;
import dev.signet.challenge.web.ChallengeErrors;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * CORS for the client API only, applied by the security chain's CORS filter before any credential
 * is looked at. A configured origin (never {@code *}) gets {@code Access-Control-Allow-Origin}
 * naming it; its preflight is answered 204 with methods GET/POST/OPTIONS, headers {@code
 * Authorization} and {@code Content-Type} and max-age 600, without reaching the routes. Any other
 * origin gets no CORS header at all (its preflight a bare 204), so the browser keeps the page from
 * reading the response. No credentials (cookies): the client API takes the bearer token only. The
 * server API and the actuator never answer CORS; a preflight to them is a bare 403.
 */
final class ClientCors implements CorsConfigurationSource {

  static final List<String> METHODS = List.of("GET", "POST", "OPTIONS");
  static final List<String> HEADERS = List.of("Authorization", "Content-Type");
  static final Duration MAX_AGE = Duration.ofSeconds(600);

  private final CorsConfiguration configuration;

  ClientCors(ClientProperties properties) {
    configuration = new CorsConfiguration();
    // Origin patterns also match exact origins; matching is Spring's, case-insensitive on scheme
    // and host, and never lets "https://app.example.com.evil.test" pass for the exact origin.
    configuration.setAllowedOriginPatterns(List.copyOf(properties.allowedOrigins()));
    configuration.setAllowedMethods(METHODS);
    configuration.setAllowedHeaders(HEADERS);
    configuration.setMaxAge(MAX_AGE);
    configuration.setAllowCredentials(false);
  }

  @Override
  public CorsConfiguration getCorsConfiguration(ServerWebExchange exchange) {
    var response = exchange.getResponse();
    boolean preflight = CorsUtils.isPreFlightRequest(exchange.getRequest());
    if (!ChallengeErrors.isClientApi(exchange)) {
      if (preflight) {
        // The CORS filter ends every preflight without reaching the routes: outside the client
        // API it is refused (no CORS header, no body), never a 2xx.
        response.setStatusCode(HttpStatus.FORBIDDEN);
      }
      return null;
    }
    if (preflight) {
      // The CORS filter ends every preflight here; it carries no token and changes nothing.
      response.setStatusCode(HttpStatus.NO_CONTENT);
    }
    String origin = exchange.getRequest().getHeaders().getOrigin();
    if (origin == null || configuration.checkOrigin(origin) == null) {
      // No configuration: the processor adds nothing, and the request goes on to its credential
      // check instead of being refused for its origin (the browser does the refusing).
      response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
      return null;
    }
    return configuration;
  }
}
