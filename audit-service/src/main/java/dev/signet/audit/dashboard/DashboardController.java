package dev.signet.audit.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's own endpoints under {@code /dashboard/api}: sign-in and sign-out with the
 * management secret, the current session, and the review decisions (approve / reject a {@code
 * REVIEW_REQUIRED} action, and the record of who decided what and when). Everything else the
 * dashboard shows comes from the query API {@code /v1/audit/**}.
 */
@RestController
class DashboardController {

  private static final Logger log = LoggerFactory.getLogger(DashboardController.class);
  static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");
  static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final int MAX_NOTE = 500;
  private static final int MAX_LIMIT = 200;

  private final SessionTokens tokens;
  private final SessionCookies cookies;
  private final ReviewDecisions reviews;
  private final SignInThrottle throttle;
  private final JsonMapper json;
  private final String managementSecret;

  DashboardController(
      SessionTokens tokens,
      SessionCookies cookies,
      ReviewDecisions reviews,
      SignInThrottle throttle,
      JsonMapper json,
      DashboardProperties properties) {
    this.tokens = tokens;
    this.cookies = cookies;
    this.reviews = reviews;
    this.throttle = throttle;
    this.json = json;
    this.managementSecret = properties.managementSecret();
  }

  /**
   * Body {@code {operator, secret}}; sets the session cookie. Too many wrong secrets from one
   * address answer 429 with {@code Retry-After} (see {@link SignInThrottle}).
   */
  @PostMapping(
      path = "/dashboard/api/login",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Map<String, Object>>> login(
      @RequestBody(required = false) String body, ServerWebExchange exchange) {
    JsonNode node = parse(body);
    String operator = text(node, "operator", 64).strip();
    String secret = text(node, "secret", 1024);
    if (operator.isEmpty() || !SessionTokens.OPERATOR.matcher(operator).matches()) {
      throw DashboardException.invalid(
          "operator must be your name: 1 to 64 characters without control characters.");
    }
    String address = address(exchange);
    return throttle
        .retryAfter(address)
        .flatMap(
            wait -> {
              if (!wait.isZero() && !wait.isNegative()) {
                return Mono.error(new TooManySignIns(Math.max(1, (wait.toMillis() + 999) / 1000)));
              }
              if (!tokens.matchesSecret(secret, managementSecret)) {
                log.warn("dashboard sign-in refused requestId={}", exchange.getRequest().getId());
                return throttle
                    .failed(address)
                    .then(
                        Mono.error(
                            new DashboardException(
                                org.springframework.http.HttpStatus.UNAUTHORIZED,
                                "unauthorized",
                                "The management secret is not correct.")));
              }
              String token = tokens.issue(operator);
              SessionTokens.Session session = tokens.verify(token).orElseThrow();
              log.info("dashboard sign-in requestId={}", exchange.getRequest().getId());
              return Mono.just(
                  ResponseEntity.ok()
                      .header(HttpHeaders.SET_COOKIE, cookies.issue(token, tokens.ttl()).toString())
                      .body(sessionBody(session)));
            });
  }

  /** Refused sign-in because of too many wrong secrets; carries the seconds to wait. */
  static final class TooManySignIns extends RuntimeException {
    final long retryAfterSeconds;

    TooManySignIns(long retryAfterSeconds) {
      super("Too many wrong secrets from this address. Try again later.", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  @ExceptionHandler(TooManySignIns.class)
  ResponseEntity<byte[]> tooMany(TooManySignIns e) {
    return ResponseEntity.status(429)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds))
        .contentType(MediaType.APPLICATION_JSON)
        .body(DashboardErrors.body("too_many_requests", e.getMessage()));
  }

  private static String address(ServerWebExchange exchange) {
    var remote = exchange.getRequest().getRemoteAddress();
    return remote == null || remote.getAddress() == null
        ? "unknown"
        : remote.getAddress().getHostAddress();
  }

  @PostMapping(path = "/dashboard/api/logout", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> logout() {
    return ResponseEntity.ok()
        .header(HttpHeaders.SET_COOKIE, cookies.clear().toString())
        .body(Map.of("success", true));
  }

  @GetMapping(path = "/dashboard/api/session", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> session(ServerWebExchange exchange) {
    return sessionBody(session(exchange.getAttributes()));
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
    String state = text(node, "state", 32);
    if (!state.equals("REVIEW_SUCCEEDED") && !state.equals("REVIEW_FAILED")) {
      throw DashboardException.invalid("state must be REVIEW_SUCCEEDED or REVIEW_FAILED.");
    }
    String note = text(node, "note", MAX_NOTE).strip();
    String operator = session(exchange.getAttributes()).operator();
    return reviews
        .decide(userId, action, idempotencyKey, state, operator, note.isEmpty() ? null : note)
        .map(DashboardController::reviewBody);
  }

  @ExceptionHandler(DashboardException.class)
  ResponseEntity<byte[]> refused(DashboardException e) {
    return ResponseEntity.status(e.status())
        .contentType(MediaType.APPLICATION_JSON)
        .body(DashboardErrors.body(e.code(), e.getMessage()));
  }

  private static SessionTokens.Session session(Map<String, Object> attributes) {
    Object session = attributes.get(DashboardSecurityFilter.SESSION_ATTRIBUTE);
    if (session instanceof SessionTokens.Session s) {
      return s;
    }
    throw DashboardException.unauthorized();
  }

  private static Map<String, Object> sessionBody(SessionTokens.Session session) {
    return Map.of("operator", session.operator(), "expiresAt", session.expiresAt().toString());
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
