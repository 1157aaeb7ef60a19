package dev.signet.challenge.token;

import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public token keys as a JWKS, without authentication: relying parties verify Signet tokens
 * themselves. Every configured key is listed, so tokens signed before a rotation keep verifying;
 * caches may hold the set for {@link #MAX_AGE}, which is why a new key must be published that long
 * before it becomes active (docs/tokens.md).
 */
@RestController
class JwksController {

  static final Duration MAX_AGE = Duration.ofMinutes(5);
  private static final Pattern TENANT_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");

  private final TokenService tokens;

  JwksController(TokenService tokens) {
    this.tokens = tokens;
  }

  @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(MAX_AGE).cachePublic())
        .body(tokens.publicJwks());
  }

  /** The same keys under the tenant path the official client SDKs use. */
  @GetMapping(
      path = "/v1/client/public/{tenantId}/.well-known/jwks",
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> tenantJwks(@PathVariable String tenantId) {
    if (!TENANT_ID.matcher(tenantId).matches()) {
      throw new ApiException(ApiError.NOT_FOUND, "The requested resource was not found.");
    }
    return jwks();
  }
}
