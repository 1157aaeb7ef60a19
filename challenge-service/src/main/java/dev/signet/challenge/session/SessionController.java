package dev.signet.challenge.session;

import dev.signet.challenge.user.User;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Fields;
import dev.signet.platform.web.CorrelationId;
import dev.signet.platform.web.MismatchText;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.annotation.JsonSerialize;

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

  record CreateRequest(String token, String clientId, String action) {}

  /** {@code clientIds} is an array, not a list: Jackson then names a nested array as a bad id. */
  record ValidateRequest(
      String accessToken,
      @MismatchText("clientIds must be an array of strings.") String[] clientIds) {}

  record RefreshRequest(String refreshToken) {}

  record RevokeRequest(String accessToken) {}

  record RevokeUserRequest(String userId) {}

  record Tokens(String accessToken, String refreshToken) {}

  record Validated(SessionUser user, long expiresAt, String verificationMethod) {}

  /** The user's stored attributes, as Authsignal's user claims; unset ones are left out. */
  record SessionUser(
      String userId,
      String email,
      Boolean emailVerified,
      String phoneNumber,
      Boolean phoneNumberVerified,
      String username,
      String displayName,
      Map<String, Object> custom,
      String locale) {}

  /** The empty object the revoke routes answer. */
  @JsonSerialize
  record Done() {}

  @PostMapping(
      path = "/v1/sessions",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Tokens> create(
      @RequestBody CreateRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    CreateRequest request = body(body);
    String token = Fields.required(request.token(), "token", MAX_TOKEN_FIELD);
    String clientId = Fields.id(request.clientId(), "clientId", true);
    String action = Fields.optional(request.action(), "action", 64);
    if (!sessions.clientAllowed(clientId)) {
      throw ApiException.invalid("clientId is not a configured app client.");
    }
    return sessions.create(token, clientId, action, correlationId).map(SessionController::issued);
  }

  @PostMapping(
      path = "/v1/sessions/validate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Validated> validate(@RequestBody ValidateRequest body) {
    ValidateRequest request = body(body);
    String accessToken = Fields.required(request.accessToken(), "accessToken", MAX_TOKEN_FIELD);
    List<String> clientIds = clientIds(request.clientIds());
    return sessions.validate(accessToken, clientIds).map(SessionController::validated);
  }

  @PostMapping(
      path = "/v1/sessions/refresh",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Tokens> refresh(
      @RequestBody RefreshRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    RefreshRequest request = body(body);
    String refreshToken = Fields.required(request.refreshToken(), "refreshToken", MAX_TOKEN_FIELD);
    return refreshes.refresh(refreshToken, correlationId).map(SessionController::issued);
  }

  @PostMapping(
      path = "/v1/sessions/revoke",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Done> revoke(
      @RequestBody RevokeRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    RevokeRequest request = body(body);
    String accessToken = Fields.required(request.accessToken(), "accessToken", MAX_TOKEN_FIELD);
    return sessions.revoke(accessToken, correlationId).then(Mono.just(new Done()));
  }

  @PostMapping(
      path = "/v1/sessions/user/revoke",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Done> revokeUser(
      @RequestBody RevokeUserRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    RevokeUserRequest request = body(body);
    String userId = Fields.id(request.userId(), "userId", true);
    return sessions.revokeUser(userId, correlationId).then(Mono.just(new Done()));
  }

  private static <T> T body(T body) {
    if (body == null) {
      throw ApiException.invalid("The body must be a JSON object.");
    }
    return body;
  }

  /** Absent: any client; otherwise a list of client ids, one of which the token must name. */
  private static List<String> clientIds(String[] list) {
    if (list == null) {
      return null;
    }
    if (list.length > MAX_CLIENT_IDS) {
      throw ApiException.invalid("clientIds holds more than " + MAX_CLIENT_IDS + " entries.");
    }
    for (String id : list) {
      if (id == null || id.isEmpty() || id.length() > 128) {
        throw ApiException.invalid("clientIds must be an array of strings.");
      }
    }
    return List.of(list);
  }

  private static Tokens issued(Sessions.Issued issued) {
    return new Tokens(issued.accessToken(), issued.refreshToken());
  }

  private static Validated validated(Sessions.Validated validated) {
    String userId = validated.token().userId();
    SessionUser user =
        validated
            .user()
            .map(u -> attributes(userId, u))
            .orElseGet(
                () -> new SessionUser(userId, null, null, null, null, null, null, null, null));
    return new Validated(
        user,
        validated.token().expiresAt().getEpochSecond(),
        validated.session().verificationMethod());
  }

  private static SessionUser attributes(String userId, User u) {
    boolean email = u.email() != null;
    boolean phone = u.phoneNumber() != null;
    return new SessionUser(
        userId,
        u.email(),
        email ? u.emailVerified() : null,
        u.phoneNumber(),
        phone ? u.phoneNumberVerified() : null,
        u.username(),
        u.displayName(),
        u.custom().isEmpty() ? null : u.custom(),
        u.locale());
  }
}
