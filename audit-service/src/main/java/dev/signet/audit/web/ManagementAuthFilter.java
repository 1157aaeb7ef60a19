package dev.signet.audit.web;

import dev.signet.audit.config.AuditProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * Guards the query API {@code /v1/audit/**} with the management secret, sent as {@code Bearer
 * <secret>} or as the Basic user name (any password). The comparison runs in constant time over
 * SHA-256 digests, so neither the content nor the length of the secret leaks through timing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ManagementAuthFilter implements WebFilter {

  static final String PREFIX = "/v1/audit";
  private static final String DESCRIPTION =
      "The request is unauthorized. Send the management secret as a Bearer token.";

  private final byte[] expectedDigest;

  ManagementAuthFilter(AuditProperties properties) {
    if (properties.managementSecret() == null || properties.managementSecret().isBlank()) {
      throw new IllegalStateException(
          "signet.audit.management-secret (SIGNET_MANAGEMENT_SECRET) must be configured");
    }
    this.expectedDigest = sha256(properties.managementSecret());
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
      return chain.filter(exchange);
    }
    if (!authorized(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
      return ErrorBodies.write(exchange.getResponse(), ManagementError.UNAUTHORIZED, DESCRIPTION);
    }
    return chain.filter(exchange);
  }

  private boolean authorized(String header) {
    if (header == null) {
      return false;
    }
    String secret;
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      secret = header.substring(7).trim();
    } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      int colon = decoded.indexOf(':');
      secret = colon < 0 ? decoded : decoded.substring(0, colon);
    } else {
      return false;
    }
    return MessageDigest.isEqual(sha256(secret), expectedDigest);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
