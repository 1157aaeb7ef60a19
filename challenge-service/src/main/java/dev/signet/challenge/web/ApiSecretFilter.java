package dev.signet.challenge.web;

import dev.signet.challenge.config.ChallengeProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Basic auth with the API secret as user name (empty password) on the server API. The comparison
 * runs in constant time over SHA-256 digests, so neither content nor length of the secret leaks
 * through timing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiSecretFilter implements WebFilter {

  private final byte[] expectedDigest;

  ApiSecretFilter(ChallengeProperties properties) {
    if (properties.apiSecret() == null || properties.apiSecret().isBlank()) {
      throw new IllegalStateException(
          "signet.challenge.api-secret (SIGNET_API_SECRET) must be configured");
    }
    this.expectedDigest = sha256(properties.apiSecret());
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (!path.startsWith("/v1/") || path.startsWith("/v1/client/")) {
      return chain.filter(exchange);
    }
    if (!authorized(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
      return ErrorBodies.write(
          exchange.getResponse(), ApiError.UNAUTHORIZED, ApiError.UNAUTHORIZED_DESCRIPTION);
    }
    return chain.filter(exchange);
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    return MessageDigest.isEqual(sha256(user), expectedDigest);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
