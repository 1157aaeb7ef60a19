package dev.signet.audit.dashboard;

import dev.signet.audit.web.DocumentedError;
import dev.signet.platform.web.HttpError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's own endpoints under {@code /dashboard/api}: sign-in with an operator account,
 * sign-out, the current session, and the review decisions (approve / reject a {@code
 * REVIEW_REQUIRED} action, and the record of who decided what and when). Everything else the
 * dashboard shows comes from the query API {@code /v1/audit/**}. The security chain lets only
 * sign-in through without a session; the reviewer of a decision is always the session's operator.
 */
@RestController
class DashboardController {

  private static final Logger log = LoggerFactory.getLogger(DashboardController.class);
  static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");
  static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final int MAX_NOTE = 500;
  private static final int MAX_LIMIT = 200;
  private static final int MAX_PASSWORD = 1024;

  private final OperatorSessions sessions;
  private final SessionCookies cookies;
  private final OperatorAccounts accounts;
  private final ReviewDecisions reviews;
  private final VerificationLockResets lockResets;
  private final SignInThrottle throttle;
  private final JsonMapper json;
  private final boolean oidc;

  DashboardController(
      OperatorSessions sessions,
      SessionCookies cookies,
      OperatorAccounts accounts,
      ReviewDecisions reviews,
      VerificationLockResets lockResets,
      SignInThrottle throttle,
      JsonMapper json,
      DashboardProperties properties) {
    this.sessions = sessions;
    this.cookies = cookies;
    this.accounts = accounts;
    this.reviews = reviews;
    this.lockResets = lockResets;
    this.throttle = throttle;
    this.json = json;
    this.oidc = properties.oidc().enabled();
  }

  /** How an operator can sign in here (public: the sign-in page shows the matching choices). */
  @GetMapping(path = "/dashboard/api/login", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> signInOptions() {
    return Map.of("password", !accounts.isEmpty(), "oidc", oidc);
  }

  /**
   * Body {@code {username, password}}; sets the session cookie. The attempt is counted before the
   * password is checked; too many attempts for the user name or from the address answer 429 with
   * {@code Retry-After} (see {@link SignInThrottle}).
   */
  @PostMapping(
      path = "/dashboard/api/login",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Map<String, Object>>> login(
      @RequestBody(required = false) String body, ServerWebExchange exchange) {
    if (!"1".equals(exchange.getRequest().getHeaders().getFirst(OperatorSessions.CSRF_HEADER))) {
      throw new DashboardException(
          HttpStatus.FORBIDDEN,
          "forbidden",
          "Dashboard calls must carry the header " + OperatorSessions.CSRF_HEADER + ": 1.");
    }
    JsonNode node = parse(body);
    String username = text(node, "username", 64);
    String password = text(node, "password", MAX_PASSWORD);
    if (!OperatorAccounts.USERNAME.matcher(username).matches()) {
      throw DashboardException.invalid(
          "username must be 1 to 64 letters, digits or . _ @ - characters.");
    }
    if (password.isEmpty()) {
      throw DashboardException.invalid("password must not be empty.");
    }
    String address = address(exchange);
    String requestId = exchange.getRequest().getId();
    return throttle
        .attempt(username, address)
        .flatMap(
            attempt -> {
              if (!attempt.allowed()) {
                log.warn("dashboard sign-in throttled requestId={}", requestId);
                return Mono.error(
                    new TooManySignIns(
                        Math.max(1, (attempt.retryAfter().toMillis() + 999) / 1000)));
              }
              // The hash check is deliberately slow: off the event loop.
              return Mono.fromCallable(() -> accounts.matches(username, password))
                  .subscribeOn(Schedulers.boundedElastic())
                  .flatMap(
                      matches -> {
                        if (!matches) {
                          log.warn("dashboard sign-in refused requestId={}", requestId);
                          return Mono.error(
                              new DashboardException(
                                  HttpStatus.UNAUTHORIZED,
                                  "unauthorized",
                                  "The user name or password is not correct."));
                        }
                        return throttle
                            .succeeded(attempt)
                            .then(sessions.create(username, "password"));
                      });
            })
        .map(
            issued -> {
              log.info(
                  "dashboard sign-in requestId={} operator={} method=password",
                  requestId,
                  username);
              return ResponseEntity.ok()
                  .header(
                      HttpHeaders.SET_COOKIE,
                      cookies.issue(issued.token(), sessions.ttl()).toString())
                  .body(sessionBody(issued.session()));
            });
  }

  /** Refused sign-in because of too many attempts; carries the seconds to wait. */
  static final class TooManySignIns extends RuntimeException implements DocumentedError {
    final long retryAfterSeconds;

    TooManySignIns(long retryAfterSeconds) {
      super("Too many sign-in attempts. Try again later.", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public HttpError httpError() {
      return new HttpError(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests", getMessage());
    }

    @Override
    public void decorate(ServerWebExchange exchange) {
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
  }

  private static String address(ServerWebExchange exchange) {
    var remote = exchange.getRequest().getRemoteAddress();
    return remote == null || remote.getAddress() == null
        ? "unknown"
        : remote.getAddress().getHostAddress();
  }

  /** Deletes the session, so its cookie (and any copy of it) no longer signs anyone in. */
  @PostMapping(path = "/dashboard/api/logout", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Map<String, Object>>> logout() {
    return current()
        .flatMap(session -> sessions.delete(session).thenReturn(session))
        .map(
            session -> {
              log.info("dashboard sign-out operator={}", session.operator());
              return ResponseEntity.ok()
                  .header(HttpHeaders.SET_COOKIE, cookies.clear().toString())
                  .body(Map.<String, Object>of("success", true));
            });
  }

  @GetMapping(path = "/dashboard/api/session", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> session() {
    return current().map(DashboardController::sessionBody);
  }

  /** Recent decisions, newest first: {@code {reviews:[...]}}. */
  @GetMapping(path = "/dashboard/api/reviews", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> reviews(
      @RequestParam(name = "userId", required = false) String userId,
      @RequestParam(name = "limit", required = false) String limit) {
    if (userId != null && !URL_SAFE_ID.matcher(userId).matches()) {
      throw DashboardException.invalid("userId must be 1 to 128 URL-safe characters.");
    }
    int max = limit(limit);
    return reviews
        .recent(userId, max)
        .map(DashboardController::reviewBody)
        .collectList()
        .map(list -> Map.of("reviews", list));
  }

  /** Body {@code {state: "REVIEW_SUCCEEDED"|"REVIEW_FAILED", note?}}. */
  @PostMapping(
      path = "/dashboard/api/reviews/{userId}/{action}/{idempotencyKey}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> decide(
      @PathVariable String userId,
      @PathVariable String action,
      @PathVariable String idempotencyKey,
      @RequestBody(required = false) String body,
      ServerWebExchange exchange) {
    if (!URL_SAFE_ID.matcher(userId).matches()) {
      throw DashboardException.invalid("userId must be 1 to 128 URL-safe characters.");
    }
    if (!ACTION_CODE.matcher(action).matches()) {
      throw DashboardException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    if (!URL_SAFE_ID.matcher(idempotencyKey).matches()) {
      throw DashboardException.invalid("idempotencyKey must be 1 to 128 URL-safe characters.");
    }
    JsonNode node = parse(body);
    for (String typed : new String[] {"operator", "reviewer", "reviewedBy"}) {
      if (node.has(typed)) {
        throw DashboardException.invalid(
            typed + " cannot be sent: the reviewer is the signed-in operator.");
      }
    }
    String state = text(node, "state", 32);
    if (!state.equals("REVIEW_SUCCEEDED") && !state.equals("REVIEW_FAILED")) {
      throw DashboardException.invalid("state must be REVIEW_SUCCEEDED or REVIEW_FAILED.");
    }
    String note = text(node, "note", MAX_NOTE).strip();
    return current()
        .flatMap(
            session ->
                reviews.decide(
                    userId,
                    action,
                    idempotencyKey,
                    state,
                    session.operator(),
                    note.isEmpty() ? null : note))
        .map(DashboardController::reviewBody);
  }

  /** A phone number's and/or user's verification lock, as challenge-service reports it. */
  @GetMapping(
      path = "/dashboard/api/verification-locks",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<JsonNode> verificationLocks(
      @RequestParam(name = "phoneNumber", required = false) String phoneNumber,
      @RequestParam(name = "userId", required = false) String userId) {
    lockSubjects(phoneNumber, userId);
    return current().then(lockResets.state(blankToNull(phoneNumber), blankToNull(userId)));
  }

  /** Resets taken in the dashboard, newest first: {@code {resets:[...]}}. */
  @GetMapping(
      path = "/dashboard/api/verification-locks/resets",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> verificationLockResets(
      @RequestParam(name = "limit", required = false) String limit) {
    return lockResets.recent(limit(limit)).collectList().map(list -> Map.of("resets", list));
  }

  /**
   * Body {@code {phoneNumber?, userId?, reason?}}: clears the consecutive-failure count of the
   * number and/or user (the only way out of the lock at 100); the operator is the session's.
   */
  @PostMapping(
      path = "/dashboard/api/verification-locks/reset",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<JsonNode> resetVerificationLock(@RequestBody(required = false) String body) {
    JsonNode node = parse(body);
    for (String typed : new String[] {"operator", "resetBy"}) {
      if (node.has(typed)) {
        throw DashboardException.invalid(
            typed + " cannot be sent: the operator is the signed-in one.");
      }
    }
    String phoneNumber = blankToNull(optionalText(node, "phoneNumber", 64));
    String userId = blankToNull(optionalText(node, "userId", 128));
    lockSubjects(phoneNumber, userId);
    String reason = blankToNull(optionalText(node, "reason", MAX_NOTE));
    return current()
        .flatMap(
            session ->
                lockResets.reset(
                    phoneNumber, userId, session.operator(), reason == null ? null : reason));
  }

  private static void lockSubjects(String phoneNumber, String userId) {
    if (blankToNull(phoneNumber) == null && blankToNull(userId) == null) {
      throw DashboardException.invalid("Give a phoneNumber, a userId, or both.");
    }
    if (blankToNull(userId) != null && !URL_SAFE_ID.matcher(userId).matches()) {
      throw DashboardException.invalid("userId must be 1 to 128 URL-safe characters.");
    }
  }

  private static String optionalText(JsonNode node, String field, int max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString() || value.asText().length() > max) {
      throw DashboardException.invalid(
          field + " must be a string of at most " + max + " characters.");
    }
    return value.asText();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The session of the signed-in operator (the chain lets no request here without one). */
  private static Mono<OperatorSessions.Session> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(OperatorSessions.Operator.class::isInstance)
        .map(auth -> ((OperatorSessions.Operator) auth).session())
        .switchIfEmpty(Mono.error(DashboardException::unauthorized));
  }

  private static Map<String, Object> sessionBody(OperatorSessions.Session session) {
    return Map.of(
        "operator",
        session.operator(),
        "method",
        session.method(),
        "expiresAt",
        session.expiresAt().toString());
  }

  private static Map<String, Object> reviewBody(ReviewDecisions.Review r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("userId", r.userId());
    out.put("actionCode", r.actionCode());
    out.put("idempotencyKey", r.idempotencyKey());
    out.put("state", r.state());
    out.put("reviewedBy", r.reviewedBy());
    out.put("reviewedAt", r.reviewedAt() == null ? null : r.reviewedAt().toString());
    if (r.note() != null) {
      out.put("note", r.note());
    }
    return out;
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      throw DashboardException.invalid("The request body must be a JSON object.");
    }
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw DashboardException.invalid("The request body must be a JSON object.");
      }
      return node;
    } catch (JacksonException e) {
      throw DashboardException.invalid("The request body is not valid JSON.");
    }
  }

  /** A string field, empty when absent; any other JSON type is refused. */
  private static String text(JsonNode node, String field, int maxLength) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isString()) {
      throw DashboardException.invalid(field + " must be a string.");
    }
    String text = value.asString();
    if (text.length() > maxLength) {
      throw DashboardException.invalid(field + " is too long (at most " + maxLength + ").");
    }
    return text;
  }

  private static int limit(String raw) {
    if (raw == null || raw.isEmpty()) {
      return 50;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw DashboardException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
  }
}
