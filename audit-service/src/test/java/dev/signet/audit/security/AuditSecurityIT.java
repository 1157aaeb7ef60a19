package dev.signet.audit.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * audit-service's security chain as it runs, over real HTTP: who reaches which route with which
 * credential, the path spellings that once slipped past a hand-written filter, server-side sessions
 * (sign-out ends a copied cookie), and sign-in throttling under a parallel burst. A small HTTP
 * server stands in for challenge-service's review endpoint.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=reactive")
class AuditSecurityIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String COOKIE = "signet-dashboard";
  static final AtomicInteger PASSWORD_CHECKS = new AtomicInteger();
  static final java.util.Queue<String> LOCK_REQUESTS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final String CHALLENGE_MANAGEMENT_SECRET = "challenge-management-secret-it";
  static final HttpServer CHALLENGE_SERVICE;
  static final java.util.Queue<String> ROUTING_REQUESTS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final String RULES_MANAGEMENT_SECRET = "rules-management-secret-it";

  static {
    try {
      CHALLENGE_SERVICE = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    CHALLENGE_SERVICE.createContext(
        "/v1/users/", exchange -> respond(exchange, 200, "{\"state\":\"REVIEW_SUCCEEDED\"}"));
    CHALLENGE_SERVICE.createContext(
        "/v1/management/verification-locks",
        exchange -> {
          LOCK_REQUESTS.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          respond(
              exchange,
              200,
              "{\"resetId\":\"reset-1\",\"operator\":\"carol\",\"resetAt\":1,"
                  + "\"accounts\":[{\"type\":\"USER\",\"userId\":\"usr-lock-1\","
                  + "\"consecutiveFailures\":100,\"locked\":true}]}");
        });
    // rules-service's routing API and an sms-dispatcher's metrics, on the same stub server.
    CHALLENGE_SERVICE.createContext(
        "/v1/management/send-policy/routing",
        exchange -> {
          String requestBody =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          ROUTING_REQUESTS.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + requestBody);
          boolean refused = requestBody.contains("\"weight\":101");
          String answer =
              refused
                  ? "{\"error\":\"invalid_request\",\"errorCode\":\"invalid_request\","
                      + "\"errorDescription\":\"rules[0].routes[0].weight must be an integer from"
                      + " 0 to 100.\"}"
                  : "GET".equals(exchange.getRequestMethod())
                      ? "{\"version\":3,\"rules\":[]}"
                      : "{\"version\":4," + requestBody.substring(1);
          respond(exchange, refused ? 400 : 200, answer);
        });
    CHALLENGE_SERVICE.createContext(
        "/actuator/prometheus",
        exchange -> {
          boolean authorized =
              ("Bearer " + CHALLENGE_MANAGEMENT_SECRET)
                  .equals(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              (String.join(
                      "\n",
                      "# TYPE resilience4j_circuitbreaker_state gauge",
                      "resilience4j_circuitbreaker_state{name=\"vonage-sms\",state=\"closed\"} 0.0",
                      "resilience4j_circuitbreaker_state{name=\"vonage-sms\",state=\"open\"} 1.0",
                      "resilience4j_circuitbreaker_state{name=\"twilio-messaging\",state=\"closed\"}"
                          + " 1.0",
                      "resilience4j_circuitbreaker_failure_rate{name=\"vonage-sms\"} 100.0",
                      "resilience4j_circuitbreaker_failure_rate{name=\"twilio-messaging\"} -1.0",
                      ""))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(authorized ? 200 : 401, authorized ? body.length : -1);
          if (authorized) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    CHALLENGE_SERVICE.start();
  }

  /** A JSON answer of the stub services. */
  static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @TestConfiguration
  static class CountingPasswordChecks {
    /** The real delegating encoder, counting every password check. */
    @Bean
    @Primary
    PasswordEncoder countingPasswordEncoder() {
      PasswordEncoder real = PasswordEncoderFactories.createDelegatingPasswordEncoder();
      return new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
          return real.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
          PASSWORD_CHECKS.incrementAndGet();
          return real.matches(raw, encoded);
        }
      };
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    AuditStack.properties(registry, "signet-audit-security-it");
    registry.add(
        "signet.dashboard.challenge-url",
        () -> "http://127.0.0.1:" + CHALLENGE_SERVICE.getAddress().getPort());
    registry.add("signet.dashboard.challenge-management-secret", () -> CHALLENGE_MANAGEMENT_SECRET);
    String stub = "http://127.0.0.1:" + CHALLENGE_SERVICE.getAddress().getPort();
    registry.add("signet.dashboard.rules-url", () -> stub);
    registry.add("signet.dashboard.rules-management-secret", () -> RULES_MANAGEMENT_SECRET);
    registry.add("signet.dashboard.dispatcher-url", () -> stub);
    registry.add(
        "signet.dashboard.dispatcher-management-secret", () -> CHALLENGE_MANAGEMENT_SECRET);
  }

  @AfterAll
  static void stopChallengeService() {
    CHALLENGE_SERVICE.stop(0);
  }

  @LocalServerPort int port;
  @Autowired ReactiveMongoTemplate mongo;

  record Reply(int status, Map<String, List<String>> headers, String text) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        return JSON.createObjectNode();
      }
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  Reply send(String method, String rawPath, String body, String... headers) {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i + 1] != null) {
        request.header(headers[i], headers[i + 1]);
      }
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String signInBody(String username, String password) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
  }

  Reply signIn(String username, String password) {
    return send(
        "POST", "/dashboard/api/login", signInBody(username, password), "X-Signet-Dashboard", "1");
  }

  /** Signs in and returns the session cookie's value. */
  String session(String username) {
    Reply reply = signIn(username, AuditStack.PASSWORD);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    String setCookie = reply.header("Set-Cookie");
    return setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
  }

  static String cookie(String token) {
    return COOKIE + "=" + token;
  }

  static String bearer(String secret) {
    return "Bearer " + secret;
  }

  static String basic(String user) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":x").getBytes(StandardCharsets.UTF_8));
  }

  // ---- who reaches what ------------------------------------------------------------------------

  @Test
  void theStaticDashboardAndTheProbesArePublicWithTheStrictHeaders() {
    for (String path :
        List.of(
            "/dashboard/", "/dashboard/js/app.js", "/dashboard/css/dashboard.css", "/dashboard/")) {
      Reply reply = send("GET", path, null);
      assertThat(reply.status()).as(path).isEqualTo(200);
      assertThat(reply.header("Content-Security-Policy"))
          .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval", "*");
      assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(reply.header("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
      assertThat(reply.header("Cross-Origin-Resource-Policy")).isEqualTo("same-origin");
    }
    assertThat(send("GET", "/", null).status()).isEqualTo(307);
    assertThat(send("GET", "/actuator/health/liveness", null).status()).isEqualTo(200);
    assertThat(send("GET", "/actuator/health/readiness", null).status()).isEqualTo(200);
    assertThat(send("GET", "/dashboard/api/login", null).json().path("password").asBoolean())
        .isTrue();
  }

  @Test
  void theQueryApiTakesTheManagementSecretOrASignedInDashboardRead() {
    String session = session("alice");
    assertThat(send("GET", "/v1/audit/activities", null).status()).isEqualTo(401);
    assertThat(send("GET", "/v1/audit/activities", null).json().path("error").asText())
        .isEqualTo("unauthorized");
    assertThat(send("GET", "/v1/audit/activities", null, "Authorization", bearer("nope")).status())
        .isEqualTo(401);
    assertThat(
            send(
                    "GET",
                    "/v1/audit/activities",
                    null,
                    "Authorization",
                    bearer(AuditStack.MANAGEMENT_SECRET))
                .status())
        .isEqualTo(200);
    assertThat(
            send(
                    "GET",
                    "/v1/audit/activities",
                    null,
                    "Authorization",
                    basic(AuditStack.MANAGEMENT_SECRET))
                .status())
        .isEqualTo(200);
    // challenge-service's API secret is no credential here.
    assertThat(
            send("GET", "/v1/audit/activities", null, "Authorization", basic(AuditStack.API_SECRET))
                .status())
        .isIn(401, 403);
    assertThat(
            send(
                    "GET",
                    "/v1/audit/activities",
                    null,
                    "Cookie",
                    cookie(session),
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(200);
    assertThat(
            send("GET", "/v3/api-docs", null, "Cookie", cookie(session), "X-Signet-Dashboard", "1")
                .status())
        .isEqualTo(200);
    // A session without the CSRF header, or for anything but a read: forbidden.
    Reply noHeader = send("GET", "/v1/audit/activities", null, "Cookie", cookie(session));
    assertThat(noHeader.status()).isEqualTo(403);
    assertThat(noHeader.json().path("error").asText()).isEqualTo("forbidden");
    assertThat(
            send(
                    "POST",
                    "/v1/audit/activities",
                    "{}",
                    "Cookie",
                    cookie(session),
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(403);
    // The operator session is no management credential for the actuator.
    assertThat(
            send(
                    "GET",
                    "/actuator/prometheus",
                    null,
                    "Cookie",
                    cookie(session),
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(403);
    assertThat(send("GET", "/actuator/prometheus", null).status()).isEqualTo(401);
    assertThat(
            send(
                    "GET",
                    "/actuator/mappings",
                    null,
                    "Authorization",
                    bearer(AuditStack.MANAGEMENT_SECRET))
                .status())
        .isEqualTo(200);
  }

  @Test
  void theManagementSecretNoLongerSignsAnyoneInToTheDashboard() {
    Reply reply = signIn("alice", AuditStack.MANAGEMENT_SECRET);
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("Set-Cookie")).isNull();
    assertThat(
            send(
                    "GET",
                    "/dashboard/api/session",
                    null,
                    "Authorization",
                    bearer(AuditStack.MANAGEMENT_SECRET),
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(403);
  }

  @Test
  void dashboardCallsNeedASessionAndTheHeader() {
    String session = session("alice");
    assertThat(send("GET", "/dashboard/api/session", null, "X-Signet-Dashboard", "1").status())
        .isEqualTo(401);
    Reply noHeader = send("GET", "/dashboard/api/session", null, "Cookie", cookie(session));
    assertThat(noHeader.status()).isEqualTo(403);
    assertThat(noHeader.json().path("error").asText()).isEqualTo("forbidden");
    Reply ok =
        send(
            "GET",
            "/dashboard/api/session",
            null,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("operator").asText()).isEqualTo("alice");
    assertThat(ok.header("Cache-Control")).contains("no-store");
    // Sign-in itself needs the header too.
    assertThat(
            send("POST", "/dashboard/api/login", signInBody("alice", AuditStack.PASSWORD)).status())
        .isEqualTo(403);
  }

  @Test
  void signingInSetsAnHttpOnlyStrictCookieThatHoldsNoSecret() {
    Reply reply = signIn("alice", AuditStack.PASSWORD);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("operator").asText()).isEqualTo("alice");
    assertThat(reply.header("Set-Cookie"))
        .startsWith(COOKIE + "=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800")
        .doesNotContain(AuditStack.PASSWORD, AuditStack.MANAGEMENT_SECRET);
  }

  @Test
  void refusesWrongPasswordsAndBadInputWithJsonErrors() {
    Reply wrong = signIn("dave", "wrong password");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("Set-Cookie")).isNull();
    assertThat(wrong.json().path("error").asText()).isEqualTo("unauthorized");
    assertThat(signIn("nobody", AuditStack.PASSWORD).status()).isEqualTo(401);
    for (String bad :
        List.of(
            "{\"username\":\"\",\"password\":\"x\"}",
            "{\"username\":\"a b\",\"password\":\"x\"}",
            "{\"username\":\"a\\u0000b\",\"password\":\"x\"}",
            "{\"username\":\"" + "x".repeat(65) + "\",\"password\":\"x\"}",
            "{\"username\":{\"$ne\":1},\"password\":\"x\"}",
            "{\"username\":\"dave\",\"password\":\"\"}",
            "[]",
            "{\"username\":")) {
      Reply reply = send("POST", "/dashboard/api/login", bad, "X-Signet-Dashboard", "1");
      assertThat(reply.status()).as(bad).isEqualTo(400);
      assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
    }
  }

  // ---- sessions --------------------------------------------------------------------------------

  @Test
  void aCopiedCookieStopsWorkingAfterSignOut() {
    String session = session("erin");
    String copy = session;
    Reply out =
        send(
            "POST",
            "/dashboard/api/logout",
            null,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.header("Set-Cookie")).contains("Max-Age=0");

    for (String path : List.of("/dashboard/api/session", "/v1/audit/activities")) {
      Reply reused = send("GET", path, null, "Cookie", cookie(copy), "X-Signet-Dashboard", "1");
      assertThat(reused.status()).as(path).isEqualTo(401);
      assertThat(reused.json().path("error").asText()).isEqualTo("unauthorized");
    }
    assertThat(
            send(
                    "POST",
                    "/dashboard/api/logout",
                    null,
                    "Cookie",
                    cookie(copy),
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(401);
  }

  @Test
  void aForgedOrExpiredCookieIsUnauthorized() throws Exception {
    String live = session("alice");
    String forged = (live.charAt(0) == 'A' ? "B" : "A") + live.substring(1);
    String expired = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    mongo
        .insert(
            new Document(
                    "_id",
                    HexFormat.of()
                        .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                .digest(expired.getBytes(StandardCharsets.US_ASCII))))
                .append("operator", "alice")
                .append("method", "password")
                .append("createdAt", Date.from(Instant.now().minus(Duration.ofHours(9))))
                .append("expiresAt", Date.from(Instant.now().minusSeconds(5))),
            "dashboard_sessions")
        .block();
    for (String token :
        List.of(forged, expired, "v1.YWxpY2U.9999999999.c2ln", "", "x".repeat(4000))) {
      for (String path : List.of("/dashboard/api/session", "/v1/audit/activities")) {
        Reply reply = send("GET", path, null, "Cookie", cookie(token), "X-Signet-Dashboard", "1");
        assertThat(reply.status()).as(path + " " + token).isEqualTo(401);
        assertThat(reply.json().path("error").asText()).isEqualTo("unauthorized");
      }
    }
  }

  // ---- reviews ---------------------------------------------------------------------------------

  @Test
  void theReviewerIsTheSignedInOperatorNeverATypedName() {
    String session = session("carol");
    Reply typed =
        send(
            "POST",
            "/dashboard/api/reviews/usr-sec-1/transfer/key-1",
            "{\"state\":\"REVIEW_SUCCEEDED\",\"operator\":\"Mallory\"}",
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(typed.status()).isEqualTo(400);

    Reply decided =
        send(
            "POST",
            "/dashboard/api/reviews/usr-sec-1/transfer/key-1",
            "{\"state\":\"REVIEW_SUCCEEDED\",\"note\":\"checked\"}",
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(decided.status()).as(decided.text()).isEqualTo(200);
    assertThat(decided.json().path("reviewedBy").asText()).isEqualTo("carol");
    Reply listed =
        send(
            "GET",
            "/dashboard/api/reviews?userId=usr-sec-1",
            null,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(listed.json().path("reviews").get(0).path("reviewedBy").asText()).isEqualTo("carol");
  }

  @Test
  void refusesBadReviewRequestsAndDecisionsWithoutASession() {
    String session = session("carol");
    for (String body :
        List.of(
            "{\"state\":\"ALLOW\"}",
            "{\"state\":1}",
            "{}",
            "{\"state\":\"REVIEW_FAILED\",\"reviewedBy\":\"x\"}",
            "{\"state\":\"REVIEW_FAILED\",\"note\":\"" + "n".repeat(501) + "\"}")) {
      Reply reply =
          send(
              "POST",
              "/dashboard/api/reviews/usr-1/transfer/key-1",
              body,
              "Cookie",
              cookie(session),
              "X-Signet-Dashboard",
              "1");
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
    }
    for (String limit : List.of("0", "201", "abc", "-1")) {
      assertThat(
              send(
                      "GET",
                      "/dashboard/api/reviews?limit=" + limit,
                      null,
                      "Cookie",
                      cookie(session),
                      "X-Signet-Dashboard",
                      "1")
                  .status())
          .isEqualTo(400);
    }
    assertThat(
            send(
                    "POST",
                    "/dashboard/api/reviews/usr-1/transfer/key-1",
                    "{\"state\":\"REVIEW_SUCCEEDED\"}",
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(401);
  }

  /**
   * Every member of the dashboard's bodies given the wrong JSON type (and the bodies themselves
   * given the wrong shape): each answer is {@code 400 invalid_request} with its documented text to
   * the byte, a typed operator refused before anything else, and nothing reaches challenge-service.
   */
  @Test
  void dashboardBodiesRefuseEveryWrongTypeWithTheirDocumentedText() {
    String session = session("carol");
    String review = "/dashboard/api/reviews/usr-types/transfer/key-types";
    String state = "state must be REVIEW_SUCCEEDED or REVIEW_FAILED.";
    String reviewer = " cannot be sent: the reviewer is the signed-in operator.";
    String[][] reviews = {
      {"  ", "The request body must be a JSON object."},
      {"[]", "The request body must be a JSON object."},
      {"5", "The request body must be a JSON object."},
      {"{not json", "The request body is not valid JSON."},
      {"{\"state\":1}", "state must be a string."},
      {"{\"state\":[\"REVIEW_FAILED\"]}", "state must be a string."},
      {"{\"state\":{}}", "state must be a string."},
      {"{\"state\":true}", "state must be a string."},
      {"{\"state\":null}", state},
      {"{}", state},
      {"{\"state\":\"" + "S".repeat(33) + "\"}", "state is too long (at most 32)."},
      {"{\"state\":\"REVIEW_FAILED\",\"note\":5}", "note must be a string."},
      {"{\"state\":\"REVIEW_FAILED\",\"note\":[]}", "note must be a string."},
      {
        "{\"state\":\"REVIEW_FAILED\",\"note\":\"" + "n".repeat(501) + "\"}",
        "note is too long (at most 500)."
      },
      {"{\"state\":\"REVIEW_FAILED\",\"reviewer\":null}", "reviewer" + reviewer},
      {"{\"state\":1,\"operator\":\"x\"}", "operator" + reviewer},
      {"{\"reviewedBy\":\"x\",\"operator\":\"y\"}", "operator" + reviewer},
    };
    String lock = "/dashboard/api/verification-locks/reset";
    String operator = " cannot be sent: the operator is the signed-in one.";
    String[][] locks = {
      {"[]", "The request body must be a JSON object."},
      {"{\"phoneNumber\":5}", "phoneNumber must be a string of at most 64 characters."},
      {"{\"phoneNumber\":{}}", "phoneNumber must be a string of at most 64 characters."},
      {
        "{\"phoneNumber\":\"+" + "1".repeat(64) + "\"}",
        "phoneNumber must be a string of at most 64 characters."
      },
      {"{\"userId\":[]}", "userId must be a string of at most 128 characters."},
      {"{\"userId\":true}", "userId must be a string of at most 128 characters."},
      {"{\"userId\":\"bad id\"}", "userId must be 1 to 128 URL-safe characters."},
      {"{\"userId\":\"usr-1\",\"reason\":5}", "reason must be a string of at most 500 characters."},
      {"{}", "Give a phoneNumber, a userId, or both."},
      {"{\"userId\":\"  \",\"phoneNumber\":null}", "Give a phoneNumber, a userId, or both."},
      {"{\"userId\":\"usr-1\",\"resetBy\":null}", "resetBy" + operator},
      {"{\"userId\":5,\"operator\":\"x\"}", "operator" + operator},
    };
    String[][] logins = {
      {"[]", "The request body must be a JSON object."},
      {"{\"username\":5,\"password\":\"x\"}", "username must be a string."},
      {"{\"username\":\"alice\",\"password\":5}", "password must be a string."},
      {"{\"username\":\"alice\",\"password\":[\"x\"]}", "password must be a string."},
      {
        "{\"username\":\"" + "u".repeat(65) + "\",\"password\":\"x\"}",
        "username is too long (at most 64)."
      },
      {
        "{\"username\":\"a b\",\"password\":\"x\"}",
        "username must be 1 to 64 letters, digits or . _ @ - characters."
      },
      {"{\"username\":\"alice\"}", "password must not be empty."},
    };
    int before = LOCK_REQUESTS.size();
    SoftAssertions soft = new SoftAssertions();
    for (String[][] cases : List.of(reviews, locks, logins)) {
      String path = cases == reviews ? review : cases == locks ? lock : "/dashboard/api/login";
      for (String[] c : cases) {
        Reply reply =
            send("POST", path, c[0], "Cookie", cookie(session), "X-Signet-Dashboard", "1");
        soft.assertThat(reply.status()).as(path + " " + c[0] + " " + reply.text()).isEqualTo(400);
        soft.assertThat(reply.json().path("error").asText()).as(c[0]).isEqualTo("invalid_request");
        soft.assertThat(reply.json().path("errorDescription").asText()).as(c[0]).isEqualTo(c[1]);
      }
    }
    soft.assertAll();
    assertThat(LOCK_REQUESTS).hasSize(before);
  }

  // ---- routes ----------------------------------------------------------------------------------

  @Test
  void routingRulesAreReplacedThroughRulesServiceWithItsSecretAndItsValidationErrorShown() {
    String session = session("alice");
    String valid =
        "{\"rules\":[{\"country\":\"GB\",\"channel\":\"SMS\",\"routes\":["
            + "{\"provider\":\"vonage\",\"api\":\"sms\",\"weight\":70},"
            + "{\"provider\":\"twilio\",\"api\":\"messaging\",\"weight\":30}]}]}";
    // No session, no CSRF header, not a rules object: refused here, rules-service never called.
    assertThat(send("PUT", "/dashboard/api/routing", valid, "X-Signet-Dashboard", "1").status())
        .isEqualTo(401);
    assertThat(send("PUT", "/dashboard/api/routing", valid, "Cookie", cookie(session)).status())
        .isEqualTo(403);
    Reply notRules =
        send(
            "PUT",
            "/dashboard/api/routing",
            "{\"rule\":[]}",
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(notRules.status()).isEqualTo(400);
    assertThat(notRules.json().path("errorDescription").asText())
        .isEqualTo("The request body must be {\"rules\": [...]}.");
    assertThat(ROUTING_REQUESTS).isEmpty();

    Reply read =
        send(
            "GET",
            "/dashboard/api/routing",
            null,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    Reply replaced =
        send(
            "PUT",
            "/dashboard/api/routing",
            valid,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    Reply refused =
        send(
            "PUT",
            "/dashboard/api/routing",
            valid.replace("\"weight\":70", "\"weight\":101"),
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");

    assertThat(read.status()).as(read.text()).isEqualTo(200);
    assertThat(read.json().path("version").asLong()).isEqualTo(3);
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
    assertThat(replaced.json().path("version").asLong()).isEqualTo(4);
    assertThat(replaced.json().path("rules").get(0).path("country").asText()).isEqualTo("GB");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(refused.json().path("errorDescription").asText())
        .isEqualTo("rules[0].routes[0].weight must be an integer from 0 to 100.");
    assertThat(ROUTING_REQUESTS)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r).contains(" Bearer " + RULES_MANAGEMENT_SECRET + " "));
    assertThat(ROUTING_REQUESTS).element(1).asString().startsWith("PUT ").endsWith(valid);
  }

  @Test
  void eachRoutesCircuitStateIsReadFromTheDispatchersMetrics() {
    String session = session("alice");
    assertThat(
            send("GET", "/dashboard/api/routes/health", null, "Cookie", cookie(session)).status())
        .isEqualTo(403);

    Reply health =
        send(
            "GET",
            "/dashboard/api/routes/health",
            null,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");

    assertThat(health.status()).as(health.text()).isEqualTo(200);
    JsonNode routes = health.json().path("routes");
    assertThat(routes).hasSize(2);
    assertThat(routes.get(0).path("route").asText()).isEqualTo("twilio-messaging");
    assertThat(routes.get(0).path("state").asText()).isEqualTo("closed");
    assertThat(routes.get(0).path("failureRatePercent").isNull()).isTrue();
    assertThat(routes.get(1).path("route").asText()).isEqualTo("vonage-sms");
    assertThat(routes.get(1).path("state").asText()).isEqualTo("open");
    assertThat(routes.get(1).path("failureRatePercent").asDouble()).isEqualTo(100.0);
  }

  // ---- verification locks ----------------------------------------------------------------------

  @Test
  void aVerificationLockResetNamesTheSignedInOperatorAndIsRecorded() {
    String session = session("carol");
    Reply typed =
        send(
            "POST",
            "/dashboard/api/verification-locks/reset",
            "{\"userId\":\"usr-lock-1\",\"operator\":\"Mallory\"}",
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(typed.status()).isEqualTo(400);
    Reply nothing =
        send(
            "POST",
            "/dashboard/api/verification-locks/reset",
            "{\"reason\":\"x\"}",
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(nothing.status()).isEqualTo(400);
    assertThat(
            send(
                    "POST",
                    "/dashboard/api/verification-locks/reset",
                    "{\"userId\":\"usr-lock-1\"}",
                    "X-Signet-Dashboard",
                    "1")
                .status())
        .isEqualTo(401);
    assertThat(LOCK_REQUESTS).isEmpty();

    Reply reset =
        send(
            "POST",
            "/dashboard/api/verification-locks/reset",
            "{\"userId\":\"usr-lock-1\",\"reason\":\"owner called\"}",
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");

    assertThat(reset.status()).as(reset.text()).isEqualTo(200);
    assertThat(LOCK_REQUESTS)
        .singleElement()
        .asString()
        .startsWith(
            "POST /v1/management/verification-locks/reset Bearer " + CHALLENGE_MANAGEMENT_SECRET)
        .contains("\"operator\":\"carol\"", "\"userId\":\"usr-lock-1\"", "owner called");
    assertThat(LOCK_REQUESTS.peek())
        .endsWith(
            " {\"userId\":\"usr-lock-1\",\"operator\":\"carol\",\"reason\":\"owner called\"}");
    Reply listed =
        send(
            "GET",
            "/dashboard/api/verification-locks/resets",
            null,
            "Cookie",
            cookie(session),
            "X-Signet-Dashboard",
            "1");
    assertThat(listed.status()).as(listed.text()).isEqualTo(200);
    JsonNode first = listed.json().path("resets").get(0);
    assertThat((Iterable<String>) () -> first.fieldNames())
        .containsExactly("resetId", "operator", "resetAt", "reason", "accounts");
    assertThat(first.path("operator").asText()).isEqualTo("carol");
    assertThat(first.path("reason").asText()).isEqualTo("owner called");
    assertThat(first.path("accounts").get(0).path("consecutiveFailures").asInt()).isEqualTo(100);
  }

  // ---- path spellings --------------------------------------------------------------------------

  /** Spellings the firewall refuses outright, whatever credential comes with them. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1;x/audit/activities",
        "/v1/audit;x/activities",
        "/v1/audit/activities;x",
        "/dashboard;x/api/reviews",
        "/dashboard/api;x/reviews",
        "/dashboard/api/reviews;jsessionid=1",
        "/v1//audit/activities",
        "//v1/audit/activities",
        "/dashboard//api/reviews",
        "/v1/./audit/activities",
        "/dashboard/./api/reviews",
        "/v1/x/../audit/activities",
        "/dashboard/x/../api/reviews",
        "/dashboard/css/../api/reviews",
        "/v1%2faudit/activities",
        "/dashboard%2fapi/reviews",
        "/v1/audit/activities%00",
        "/dashboard/api/reviews%00",
        "/v1/%2e/audit/activities",
        "/v1/audit%5cactivities",
        "/dashboard/api/%25"
      })
  void refusesPathSpellingTricksWithA400WhateverTheCredential(String path) {
    String session = session("alice");
    for (String[] headers : credentialVariants(session)) {
      Reply reply = send("GET", path, null, headers);
      assertThat(reply.status()).as(path + " " + String.join(" ", headers)).isEqualTo(400);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
    }
  }

  /**
   * Spellings that reach a route (or none) need exactly the credential of the route they reach:
   * without it they are never answered with data.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/%76%31/audit/activities",
        "/v1/%61udit/activities",
        "/%64ashboard/api/reviews",
        "/dashboard/%61pi/session",
        "/V1/AUDIT/activities",
        "/v1/Audit/activities",
        "/DASHBOARD/API/reviews",
        "/Dashboard/api/session",
        "/v1/audit/activities/",
        "/dashboard/api/reviews/",
        "/dashboard/api/session/",
        "/v1/audit",
        "/dashboard/api"
      })
  void equivalentSpellingsNeedTheSameCredentialAndNeverLeakWithoutIt(String path) {
    String session = session("alice");
    List<String[]> withoutAValidCredential =
        List.of(
            new String[] {},
            new String[] {"X-Signet-Dashboard", "1"},
            new String[] {"Cookie", cookie(session)},
            new String[] {"Authorization", bearer("wrong")},
            new String[] {"Authorization", basic(AuditStack.API_SECRET)},
            new String[] {
              "Authorization", bearer(AuditStack.API_SECRET), "X-Signet-Dashboard", "1"
            });
    for (String[] headers : withoutAValidCredential) {
      Reply reply = send("GET", path, null, headers);
      assertThat(reply.status())
          .as(path + " " + String.join(" ", headers))
          .isIn(400, 401, 403, 404);
      assertThat(reply.json().path("error").asText()).isNotEmpty();
      assertThat(reply.text()).doesNotContain("\"activities\"", "\"reviews\"", "\"operator\"");
    }
  }

  @Test
  void upperCaseAndTrailingSlashSpellingsNeverReachTheRoutesEvenWithCredentials() {
    String session = session("alice");
    for (String path :
        List.of(
            "/V1/AUDIT/activities",
            "/DASHBOARD/API/session",
            "/v1/audit/activities/",
            "/dashboard/api/session/")) {
      for (String[] headers : credentialVariants(session)) {
        Reply reply = send("GET", path, null, headers);
        assertThat(reply.status()).as(path + " " + String.join(" ", headers)).isIn(401, 403, 404);
        assertThat(reply.json().path("error").asText()).isNotEmpty();
      }
    }
  }

  private static List<String[]> credentialVariants(String session) {
    return List.of(
        new String[] {},
        new String[] {"X-Signet-Dashboard", "1"},
        new String[] {"Cookie", cookie(session)},
        new String[] {"Cookie", cookie(session), "X-Signet-Dashboard", "1"},
        new String[] {"Authorization", bearer(AuditStack.MANAGEMENT_SECRET)},
        new String[] {
          "Authorization",
          bearer(AuditStack.MANAGEMENT_SECRET),
          "Cookie",
          cookie(session),
          "X-Signet-Dashboard",
          "1"
        });
  }

  // ---- throttling ------------------------------------------------------------------------------

  /** A sign-in sent from {@code from} (a loopback address), so each test has its own count. */
  int signInFrom(String from, String username, String password) {
    byte[] body = signInBody(username, password).getBytes(StandardCharsets.UTF_8);
    try (Socket socket =
        new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /dashboard/api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nX-Signet-Dashboard: 1\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(response.substring(9, 12));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aParallelBurstOfWrongPasswordsGetsNoMoreChecksThanTheLimit() throws Exception {
    int checksBefore = PASSWORD_CHECKS.get();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        int guess = i;
        Callable<Integer> attempt =
            () -> {
              start.await();
              return signInFrom("127.0.0.3", "bob", "guess-" + guess);
            };
        replies.add(pool.submit(attempt));
      }
      start.countDown();
      int refused = 0;
      int throttled = 0;
      for (Future<Integer> reply : replies) {
        int status = reply.get();
        if (status == 401) {
          refused++;
        } else if (status == 429) {
          throttled++;
        }
      }
      assertThat(refused + throttled).isEqualTo(50);
      assertThat(refused).isLessThanOrEqualTo(10);
      assertThat(PASSWORD_CHECKS.get() - checksBefore).isLessThanOrEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
    // The right password does not help the account within the window, from anywhere.
    assertThat(signInFrom("127.0.0.4", "bob", AuditStack.PASSWORD)).isEqualTo(429);
  }

  @Test
  void anAddressIsLimitedAcrossAccountsAndASuccessDoesNotResetItsCount() {
    String from = "127.0.0.5";
    for (int i = 0; i < 19; i++) {
      assertThat(signInFrom(from, "guess" + i, "wrong")).isEqualTo(401);
    }
    // An operator signing in from the same address gives back only its own attempt.
    assertThat(signInFrom(from, "dave", AuditStack.PASSWORD)).isEqualTo(200);
    assertThat(signInFrom(from, "guess19", "wrong")).isEqualTo(401);
    assertThat(signInFrom(from, "guess20", "wrong")).isEqualTo(429);
    assertThat(signInFrom(from, "dave", AuditStack.PASSWORD)).isEqualTo(429);
    // Another address is not affected.
    assertThat(signInFrom("127.0.0.6", "dave", AuditStack.PASSWORD)).isEqualTo(200);
  }
}
