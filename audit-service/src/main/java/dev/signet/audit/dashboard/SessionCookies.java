package dev.signet.audit.dashboard;

import java.time.Duration;
import org.springframework.http.ResponseCookie;

/**
 * The session cookie: {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (never sent by
 * a request another site starts), {@code Path=/} and, behind TLS, {@code Secure} with the {@code
 * __Host-} prefix, which browsers only accept from a secure origin without a domain.
 */
final class SessionCookies {

  private final boolean secure;

  SessionCookies(boolean secure) {
    this.secure = secure;
  }

  String name() {
    return secure ? "__Host-signet-dashboard" : "signet-dashboard";
  }

  ResponseCookie issue(String token, Duration ttl) {
    return base(token).maxAge(ttl).build();
  }

  ResponseCookie clear() {
    return base("").maxAge(Duration.ZERO).build();
  }

  private ResponseCookie.ResponseCookieBuilder base(String value) {
    return ResponseCookie.from(name(), value)
        .httpOnly(true)
        .secure(secure)
        .sameSite("Strict")
        .path("/");
  }
}
