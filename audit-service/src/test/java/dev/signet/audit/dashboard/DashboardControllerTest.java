package dev.signet.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign-in and review decisions through the real filter, controller and MongoDB adapter (the driver
 * against mongo-java-server). challenge-service's side of a decision is covered by {@code
 * DashboardBrowserIT} against the running stack; here it is a closed port, so a decision that
 * cannot be delivered must be refused plainly and leave nothing recorded.
 */
class DashboardControllerTest {

  private static final String SECRET = "mgmt-secret";

  private MongoServer mongoServer;
  private MongoClient mongoClient;
  private ReactiveMongoTemplate mongo;
  private WebTestClient client;
  private SessionTokens tokens;
  private SessionCookies cookies;

  @BeforeEach
  void start() throws Exception {
    mongoServer = new MongoServer(new MemoryBackend());
    mongoServer.bind("127.0.0.1", 0);
    mongoClient =
        MongoClients.create("mongodb://127.0.0.1:" + mongoServer.getLocalAddress().getPort());
    mongo = new ReactiveMongoTemplate(mongoClient, "dashboard-test");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DashboardProperties properties =
        new DashboardProperties(
            SECRET,
            "api-secret",
            URI.create("http://127.0.0.1:" + closedPort),
            Duration.ofHours(8),
            false,
            Duration.ofSeconds(2));
    JsonMapper json = JsonMapper.builder().build();
    tokens = new SessionTokens(SECRET, properties.sessionTtl(), Clock.systemUTC());
    cookies = new SessionCookies(false);
    ReviewDecisions reviews = new ReviewDecisions(properties, mongo, json, Clock.systemUTC());
    client =
        WebTestClient.bindToController(
                new DashboardController(
                    tokens,
                    cookies,
                    reviews,
                    new SignInThrottle(mongo, Clock.systemUTC()),
                    json,
                    properties))
            .webFilter(new DashboardSecurityFilter(tokens, cookies, properties))
            .build();
  }

  @AfterEach
  void stop() {
    mongoClient.close();
    mongoServer.shutdownNow();
  }

  private WebTestClient.ResponseSpec login(String body) {
    return client
        .post()
        .uri("/dashboard/api/login")
        .header("X-Signet-Dashboard", "1")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  @Test
  void signingInWithTheSecretSetsAnHttpOnlyStrictSessionCookieNamingTheOperator() {
    var result =
        login("{\"operator\":\"  Ada Lovelace \",\"secret\":\"" + SECRET + "\"}")
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.operator")
            .isEqualTo("Ada Lovelace")
            .returnResult();
    String setCookie = result.getResponseHeaders().getFirst("Set-Cookie");
    assertThat(setCookie)
        .startsWith(cookies.name() + "=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800")
        .doesNotContain(SECRET);
    String value = setCookie.substring(cookies.name().length() + 1, setCookie.indexOf(';'));
    assertThat(tokens.verify(value))
        .get()
        .extracting(SessionTokens.Session::operator)
        .isEqualTo("Ada Lovelace");
  }

  @Test
  void refusesAWrongSecretAndBadInputWithJsonErrors() {
    login("{\"operator\":\"Ada\",\"secret\":\"nope\"}")
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .doesNotExist("Set-Cookie")
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("unauthorized");
    for (String bad :
        List.of(
            "{\"operator\":\"\",\"secret\":\"" + SECRET + "\"}",
            "{\"operator\":\"a\\u0000b\",\"secret\":\"" + SECRET + "\"}",
            "{\"operator\":\"" + "x".repeat(65) + "\",\"secret\":\"" + SECRET + "\"}",
            "{\"operator\":{\"$ne\":1},\"secret\":\"" + SECRET + "\"}",
            "[]",
            "{\"operator\":",
            " ")) {
      login(bad)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.error")
          .isEqualTo("invalid_request");
    }
  }

  @Test
  void afterTwentyWrongSecretsTheAddressMustWaitEvenWithTheRightOne() {
    for (int i = 0; i < SignInThrottle.LIMIT; i++) {
      login("{\"operator\":\"Mallory\",\"secret\":\"guess-" + i + "\"}")
          .expectStatus()
          .isUnauthorized();
    }

    login("{\"operator\":\"Mallory\",\"secret\":\"" + SECRET + "\"}")
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .exists("Retry-After")
        .expectHeader()
        .doesNotExist("Set-Cookie")
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("too_many_requests");
  }

  @Test
  void aDecisionChallengeServiceNeverReceivedIsRefusedAndNotRecorded() {
    String session = tokens.issue("Ada");
    client
        .post()
        .uri("/dashboard/api/reviews/usr-1/transfer/key-1")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), session)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"state\":\"REVIEW_SUCCEEDED\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("upstream_unavailable");

    client
        .get()
        .uri("/dashboard/api/reviews")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), session)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.reviews")
        .isEmpty();
  }

  @Test
  void refusesBadReviewRequestsBeforeCallingChallengeService() {
    String session = tokens.issue("Ada");
    record Case(String path, String body) {}
    for (Case c :
        List.of(
            new Case("/dashboard/api/reviews/usr-1/transfer/key-1", "{\"state\":\"ALLOW\"}"),
            new Case("/dashboard/api/reviews/usr-1/transfer/key-1", "{\"state\":1}"),
            new Case("/dashboard/api/reviews/usr-1/transfer/key-1", "{}"),
            new Case(
                "/dashboard/api/reviews/usr-1/transfer/key-1",
                "{\"state\":\"REVIEW_FAILED\",\"note\":\"" + "n".repeat(501) + "\"}"),
            new Case(
                "/dashboard/api/reviews/usr-1/bad action/key-1", "{\"state\":\"REVIEW_FAILED\"}"),
            new Case(
                "/dashboard/api/reviews/usr<1>/transfer/key-1", "{\"state\":\"REVIEW_FAILED\"}"))) {
      client
          .post()
          .uri(URI.create(c.path().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")))
          .header("X-Signet-Dashboard", "1")
          .cookie(cookies.name(), session)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(c.body())
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.error")
          .isEqualTo("invalid_request");
    }
    for (String limit : List.of("0", "201", "abc", "-1")) {
      client
          .get()
          .uri("/dashboard/api/reviews?limit=" + limit)
          .header("X-Signet-Dashboard", "1")
          .cookie(cookies.name(), session)
          .exchange()
          .expectStatus()
          .isBadRequest();
    }
  }

  @Test
  void decisionsNeedASession() {
    client
        .post()
        .uri("/dashboard/api/reviews/usr-1/transfer/key-1")
        .header("X-Signet-Dashboard", "1")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"state\":\"REVIEW_SUCCEEDED\"}")
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }
}
