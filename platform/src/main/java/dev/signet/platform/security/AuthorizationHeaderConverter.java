package dev.signet.platform.security;

import dev.signet.platform.security.PresentedCredential.Scheme;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the {@code Authorization} header into a {@link PresentedCredential}. No header: no
 * authentication attempt (the route's rule then decides). A header that is present but unusable
 * (unknown scheme, bad Base64, empty) is still an attempt, and fails.
 */
public final class AuthorizationHeaderConverter implements ServerAuthenticationConverter {

  /** Far above any secret or token Signet issues; refuses to decode megabytes. */
  static final int MAX_LENGTH = 8 * 1024;

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      return Mono.empty();
    }
    return Mono.just(parse(header));
  }

  static PresentedCredential parse(String header) {
    if (header.length() > MAX_LENGTH) {
      return unusable();
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).trim();
      return token.isEmpty() ? unusable() : new PresentedCredential(Scheme.BEARER, token);
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return unusable();
      }
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isEmpty() ? unusable() : new PresentedCredential(Scheme.BASIC, user);
    }
    return unusable();
  }

  private static PresentedCredential unusable() {
    return new PresentedCredential(Scheme.UNUSABLE, "");
  }
}
