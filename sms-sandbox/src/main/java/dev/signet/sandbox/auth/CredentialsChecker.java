package dev.signet.sandbox.auth;

import dev.signet.sandbox.SandboxProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts any non-empty credentials unless a key/secret pair is configured, in which case only that
 * pair (or a signature made with the configured signature secret) passes. Application JWTs are
 * accepted when well-formed and unexpired: the sandbox does not hold the application's public key.
 */
@Component
public class CredentialsChecker {

  private static final Pattern JWT =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private final SandboxProperties properties;
  private final JsonMapper json;
  private final Clock clock;

  public CredentialsChecker(SandboxProperties properties, JsonMapper json, Clock clock) {
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  /** SMS API: Basic header, {@code api_key}/{@code api_secret}, or {@code api_key}/{@code sig}. */
  public Authentication smsApi(String authorization, Map<String, String> params) {
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return basic(authorization);
    }
    String key = params.get("api_key");
    if (key == null || key.isBlank()) {
      return new Authentication.Missing("api_key");
    }
    if (params.containsKey(VonageSignature.SIG)) {
      return signed(key, params);
    }
    String secret = params.get("api_secret");
    if (secret == null || secret.isBlank()) {
      return new Authentication.Missing("api_secret");
    }
    return keyAndSecret(key, secret);
  }

  /** Messages API: Basic header or an application JWT as Bearer token. */
  public Authentication messagesApi(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return new Authentication.Missing("Authorization");
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return basic(authorization);
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return bearer(authorization.substring(7).trim());
    }
    return new Authentication.Invalid("unsupported authorization scheme");
  }

  private Authentication basic(String authorization) {
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Authentication.Invalid("malformed Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon == decoded.length() - 1) {
      return new Authentication.Invalid("malformed Basic credentials");
    }
    return keyAndSecret(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  private Authentication keyAndSecret(String key, String secret) {
    if (!properties.credentialsRequired()
        || (constantTimeEquals(key, properties.apiKey())
            && constantTimeEquals(secret, properties.apiSecret()))) {
      return new Authentication.Authenticated(key, null);
    }
    return new Authentication.Invalid("Bad Credentials");
  }

  private Authentication signed(String key, Map<String, String> params) {
    if (properties.credentialsRequired() && !constantTimeEquals(key, properties.apiKey())) {
      return new Authentication.Invalid("Bad Credentials");
    }
    if (properties.signsReceipts()
        && !VonageSignature.verify(
            params, properties.signatureSecret(), properties.signatureMethod())) {
      return new Authentication.Invalid("Invalid Signature");
    }
    return new Authentication.Authenticated(key, null);
  }

  private Authentication bearer(String token) {
    if (!JWT.matcher(token).matches()) {
      return new Authentication.Invalid("malformed JWT");
    }
    String[] segments = token.split("\\.");
    try {
      JsonNode header = json.readTree(Base64.getUrlDecoder().decode(segments[0]));
      JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(segments[1]));
      if (!header.path("alg").isString()) {
        return new Authentication.Invalid("malformed JWT");
      }
      JsonNode exp = claims.path("exp");
      if (exp.isNumber() && exp.asLong() < clock.instant().getEpochSecond()) {
        return new Authentication.Invalid("JWT expired");
      }
      String applicationId = claims.path("application_id").asString(null);
      return new Authentication.Authenticated(null, applicationId);
    } catch (IllegalArgumentException | JacksonException e) {
      return new Authentication.Invalid("malformed JWT");
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
