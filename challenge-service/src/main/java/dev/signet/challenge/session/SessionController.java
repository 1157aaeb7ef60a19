package dev.signet.challenge.session;

import dev.signet.challenge.user.User;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The server API's session routes, shaped like Authsignal's ({@code createSession}, {@code
 * validateSession}, {@code refreshSession}, {@code revokeSession}, {@code revokeUserSessions} of
 * the official server SDKs). Every route needs the API secret (the security chain's {@code /v1/**}
 * rule); a token that is not accepted is a 400 {@code invalid_token}.
 */
@RestController
class SessionController {

  /** Well above any token we issue; longer strings are refused before any parsing. */
  private static final int MAX_TOKEN_FIELD = 16 * 1024;

  /** More app clients than a deployment has; a longer list is a mistake or an attack. */
  private static final int MAX_CLIENT_IDS = 50;

  private final Sessions sessions;
  private final SessionRefreshes refreshes;

  SessionController(Sessions sessions, SessionRefreshes refreshes) {
    this.refreshes = refreshes;
    this.sessions = sessions;
  }

  @PostMapping(
      path = "/v1/sessions",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> create(
      @RequestBody Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    Map<String, Object> request = body(body);
    String token = Json.requiredString(request.get("token"), "token", MAX_TOKEN_FIELD);
    String clientId = Json.id(request.get("clientId"), "clientId", true);
    String action = Json.optionalString(request.get("action"), "action", 64);
    if (!sessions.clientAllowed(clientId)) {
      throw ApiException.invalid("clientId is not a configured app client.");
    }
    return sessions
        .create(token, clientId, action, correlation(correlationId))
        .map(SessionController::issued);
  }

  @PostMapping(
      path = "/v1/sessions/validate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> validate(@RequestBody Map<String, Object> body) {
    Map<String, Object> request = body(body);
    String accessToken =
        Json.requiredString(request.get("accessToken"), "accessToken", MAX_TOKEN_FIELD);
    List<String> clientIds = clientIds(request.get("clientIds"));
    return sessions.validate(accessToken, clientIds).map(SessionController::validated);
  }

  @PostMapping(
      path = "/v1/sessions/refresh",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> refresh(
      @RequestBody Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    Map<String, Object> request = body(body);
    String refreshToken =
        Json.requiredString(request.get("refreshToken"), "refreshToken", MAX_TOKEN_FIELD);
    return refreshes
        .refresh(refreshToken, correlation(correlationId))
        .map(SessionController::issued);
  }

  @PostMapping(
      path = "/v1/sessions/revoke",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> revoke(
      @RequestBody Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    Map<String, Object> request = body(body);
    String accessToken =
        Json.requiredString(request.get("accessToken"), "accessToken", MAX_TOKEN_FIELD);
    return sessions
        .revoke(accessToken, correlation(correlationId))
        .then(Mono.just(Map.<String, Object>of()));
  }

  @PostMapping(
      path = "/v1/sessions/user/revoke",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> revokeUser(
      @RequestBody Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    Map<String, Object> request = body(body);
    String userId = Json.id(request.get("userId"), "userId", true);
    return sessions
        .revokeUser(userId, correlation(correlationId))
        .then(Mono.just(Map.<String, Object>of()));
  }

  private static Map<String, Object> body(Map<String, Object> body) {
    if (body == null) {
      throw ApiException.invalid("The body must be a JSON object.");
    }
    return body;
  }

  /** Absent: any client; otherwise a list of client ids, one of which the token must name. */
  private static List<String> clientIds(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      throw ApiException.invalid("clientIds must be an array of strings.");
    }
    if (list.size() > MAX_CLIENT_IDS) {
      throw ApiException.invalid("clientIds holds more than " + MAX_CLIENT_IDS + " entries.");
    }
    List<String> ids = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String id) || id.isEmpty() || id.length() > 128) {
        throw ApiException.invalid("clientIds must be an array of strings.");
      }
      ids.add(id);
    }
    return ids;
  }

  private static Map<String, Object> issued(Sessions.Issued issued) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("accessToken", issued.accessToken());
    out.put("refreshToken", issued.refreshToken());
    return out;
  }

  private static Map<String, Object> validated(Sessions.Validated validated) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("userId", validated.token().userId());
    validated.user().ifPresent(u -> attributes(u, user));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", user);
    out.put("expiresAt", validated.token().expiresAt().getEpochSecond());
    if (validated.session().verificationMethod() != null) {
      out.put("verificationMethod", validated.session().verificationMethod());
    }
    return out;
  }

  /** The user's stored attributes, as Authsignal's user claims; unset ones are left out. */
  private static void attributes(User u, Map<String, Object> user) {
    if (u.email() != null) {
      user.put("email", u.email());
      user.put("emailVerified", u.emailVerified());
    }
    if (u.phoneNumber() != null) {
      user.put("phoneNumber", u.phoneNumber());
      user.put("phoneNumberVerified", u.phoneNumberVerified());
    }
    if (u.username() != null) {
      user.put("username", u.username());
    }
    if (u.displayName() != null) {
      user.put("displayName", u.displayName());
    }
    if (!u.custom().isEmpty()) {
      user.put("custom", u.custom());
    }
    if (u.locale() != null) {
      user.put("locale", u.locale());
    }
  }

  private static String correlation(String header) {
    return header != null && Json.URL_SAFE_ID.matcher(header).matches()
        ? header
        : UUID.randomUUID().toString();
  }
}
