package dev.signet.audit.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.signet.audit.web.DocumentedError;
import dev.signet.platform.web.HttpError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign-in with an operator account, sign-out and the current session, under {@code /dashboard/api}.
 * The security chain lets only sign-in through without a session.
 */
@RestController
class SignInController {

  private static final Logger log = LoggerFactory.getLogger(SignInController.class);
  private static final int MAX_PASSWORD = 1024;

  private final OperatorSessions sessions;
  private final SessionCookies cookies;
  private final OperatorAccounts accounts;
  private final SignInThrottle throttle;
  private final JsonMapper json;
  private final boolean oidc;

  SignInController(
      OperatorSessions sessions,
      SessionCookies cookies,
      OperatorAccounts accounts,
      SignInThrottle throttle,
      JsonMapper json,
      DashboardProperties properties) {
    this.sessions = sessions;
    this.cookies = cookies;
    this.accounts = accounts;
    this.throttle = throttle;
    this.json = json;
    this.oidc = properties.oidc().enabled();
  }

  /** The sign-in choices: {@code {password, oidc}}. */
  record SignInOptions(boolean password, boolean oidc) {}

  /** The signed-in operator: {@code {operator, method, expiresAt}}. */
  record SessionBody(String operator, String method, String expiresAt) {
    static SessionBody of(OperatorSessions.Session session) {
      return new SessionBody(session.operator(), session.method(), session.expiresAt().toString());
    }
  }

  /** A password sign-in: {@code {username, password}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record SignInRequest(String username, String password) {}

  /** The answer of a sign-out: {@code {success: true}}. */
  record SignedOut(boolean success) {}

  /** How an operator can sign in here (public: the sign-in page shows the matching choices). */
  @GetMapping(path = "/dashboard/api/login", produces = MediaType.APPLICATION_JSON_VALUE)
  SignInOptions signInOptions() {
    return new SignInOptions(!accounts.isEmpty(), oidc);
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
  Mono<ResponseEntity<SessionBody>> login(
      @RequestBody(required = false) String body, ServerWebExchange exchange) {
    if (!"1".equals(exchange.getRequest().getHeaders().getFirst(OperatorSessions.CSRF_HEADER))) {
      throw new DashboardException(
          HttpStatus.FORBIDDEN,
          "forbidden",
          "Dashboard calls must carry the header " + OperatorSessions.CSRF_HEADER + ": 1.");
    }
    SignInRequest request = DashboardRequests.read(json, body, SignInRequest.class, "");
    String username = DashboardRequests.text(request.username(), "username", 64);
    String password = DashboardRequests.text(request.password(), "password", MAX_PASSWORD);
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
              return signIn(attempt, username, password, requestId);
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
                  .body(SessionBody.of(issued.session()));
            });
  }

  /** The hash check is deliberately slow: off the event loop; a match earns the reset. */
  private Mono<OperatorSessions.Issued> signIn(
      SignInThrottle.Attempt attempt, String username, String password, String requestId) {
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
              return throttle.succeeded(attempt).then(sessions.create(username, "password"));
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
  Mono<ResponseEntity<SignedOut>> logout() {
    return DashboardRequests.current()
        .flatMap(session -> sessions.delete(session).thenReturn(session))
        .map(
            session -> {
              log.info("dashboard sign-out operator={}", session.operator());
              return ResponseEntity.ok()
                  .header(HttpHeaders.SET_COOKIE, cookies.clear().toString())
                  .body(new SignedOut(true));
            });
  }

  @GetMapping(path = "/dashboard/api/session", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<SessionBody> session() {
    return DashboardRequests.current().map(SessionBody::of);
  }
}
