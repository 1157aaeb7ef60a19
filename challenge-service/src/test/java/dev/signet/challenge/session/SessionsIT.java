package dev.signet.challenge.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.SessionToken;
import dev.signet.challenge.token.TestKeys;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenContextSupport;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenProperties;
import dev.signet.challenge.token.TokenService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import tools.jackson.databind.JsonNode;

/**
 * Sessions over HTTP against the MongoDB-wire server: the whole life of a session, single use of
 * success tokens, refresh rotation with reuse detection (also under a race), revocation of one
 * session and of all of a user's, wrong token kinds, client ids and expiry.
 */
class SessionsIT extends TokenContextSupport {

  private static final ExecutorService POOL = Executors.newFixedThreadPool(8);

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired SessionStore store;

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  // --- the life of a session ---

  @Test
  void createValidateRefreshAndRevoke() throws Exception {
    TokenClaims claims = succeededAction();

    Reply created = create(successToken(claims), "web-app");

    assertThat(created.status()).as(created.response().body()).isEqualTo(200);
    String access = created.body().get("accessToken").asString();
    String refresh = created.body().get("refreshToken").asString();
    assertThat(refresh).matches("[A-Za-z0-9_-]{43}");
    SignedJWT jwt = SignedJWT.parse(access);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("signet-session+jwt");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("web-app");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(claims.userId());

    Reply validated = validate(access, "[\"other\",\"web-app\"]");
    assertThat(validated.status()).as(validated.response().body()).isEqualTo(200);
    assertThat(validated.body().get("user").get("userId").asString()).isEqualTo(claims.userId());
    assertThat(validated.body().get("verificationMethod").asString()).isEqualTo("SMS");
    assertThat(validated.body().get("expiresAt").asLong())
        .isEqualTo(jwt.getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond());
    assertThat(validate(access, null).status()).isEqualTo(200);

    Reply refreshed = refresh(refresh);
    assertThat(refreshed.status()).as(refreshed.response().body()).isEqualTo(200);
    String access2 = refreshed.body().get("accessToken").asString();
    String refresh2 = refreshed.body().get("refreshToken").asString();
    assertThat(refresh2).isNotEqualTo(refresh);
    assertInvalid(validate(access, null), "The access token was replaced by a refresh.");
    assertThat(validate(access2, null).status()).isEqualTo(200);

    Reply revoked = post("/v1/sessions/revoke", "{\"accessToken\":\"" + access2 + "\"}");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.response().body()).isEqualTo("{}");
    assertInvalid(validate(access2, null), "The session has been revoked.");
    assertInvalid(refresh(refresh2), "The session has been revoked.");
    // revoking again changes nothing and is no error
    assertThat(post("/v1/sessions/revoke", "{\"accessToken\":\"" + access2 + "\"}").status())
        .isEqualTo(200);

    Document session = sessionOf(access);
    assertThat(session.getString("revokedReason")).isEqualTo("REVOKED");
    assertThat(outboxTopics(session))
        .containsExactly(
            "auth.session.created.v1", "auth.session.refreshed.v1", "auth.session.revoked.v1");
    // neither token is stored: refresh tokens only as SHA-256, access tokens not at all
    String stored = session.toJson() + refreshTokenDocuments(session.getString("_id"));
    assertThat(stored)
        .doesNotContain(refresh)
        .doesNotContain(refresh2)
        .doesNotContain(access)
        .contains(RefreshTokens.hash(refresh));
  }

  // --- success tokens ---

  @Test
  void aSuccessTokenCreatesAtMostOneSession() {
    TokenClaims claims = succeededAction();
    String token = successToken(claims);
    assertThat(create(token, "web-app").status()).isEqualTo(200);

    assertInvalid(create(token, "web-app"), "The token has already been used to create a session.");
    assertInvalid(create(token, "ios-app"), "The token has already been used to create a session.");
    // a second success token of the same action attempt is no new proof either
    assertInvalid(
        create(successToken(claims), "web-app"),
        "The token has already been used to create a session.");
  }

  @Test
  void aSuccessTokenOfAnActionThatDidNotSucceedCreatesNoSession() {
    TokenClaims failed = action("CHALLENGE_FAILED");
    TokenClaims missing =
        new TokenClaims("u-" + UUID.randomUUID(), "signIn", "k-" + UUID.randomUUID(), "", "signet");

    assertInvalid(
        create(successToken(failed), "web-app"),
        "The action this token refers to has not succeeded.");
    assertInvalid(
        create(successToken(missing), "web-app"),
        "The action this token refers to does not exist.");
    Reply otherAction =
        post(
            "/v1/sessions",
            "{\"token\":\""
                + successToken(succeededAction())
                + "\",\"clientId\":\"web-app\",\"action\":\"transfer\"}");
    assertInvalid(otherAction, "The token was not issued for this action.");
  }

  // --- refresh rotation and reuse ---

  @Test
  void aSpentRefreshTokenPresentedAgainRevokesTheWholeSession() {
    Reply created = create(successToken(succeededAction()), "web-app");
    String refresh0 = created.body().get("refreshToken").asString();
    Reply refreshed = refresh(refresh0);
    String access1 = refreshed.body().get("accessToken").asString();
    String refresh1 = refreshed.body().get("refreshToken").asString();

    assertInvalid(
        refresh(refresh0),
        "The refresh token was already used: the session has been revoked as a precaution.");

    assertInvalid(validate(access1, null), "The session has been revoked.");
    assertInvalid(refresh(refresh1), "The session has been revoked.");
    Document session = sessionOf(access1);
    assertThat(session.getString("revokedReason")).isEqualTo("REFRESH_TOKEN_REUSED");
    assertThat(outboxTopics(session))
        .contains("auth.session.reuse-detected.v1", "auth.session.revoked.v1");
  }

  @Test
  void exactlyOneOfConcurrentSpendsOfARefreshTokenWins() throws Exception {
    Reply created = create(successToken(succeededAction()), "web-app");
    String hash = RefreshTokens.hash(created.body().get("refreshToken").asString());

    List<Callable<SessionStore.StoredRefreshToken>> spends = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      spends.add(() -> store.spend(hash, Instant.now()).block(Duration.ofSeconds(10)));
    }
    List<SessionStore.StoredRefreshToken> results = new ArrayList<>();
    for (Future<SessionStore.StoredRefreshToken> f : POOL.invokeAll(spends)) {
      results.add(f.get());
    }

    assertThat(results.stream().filter(r -> !r.spent())).hasSize(1);
    assertThat(results.stream().filter(SessionStore.StoredRefreshToken::spent)).hasSize(7);
  }

  @Test
  void twoRefreshesRacingWithOneTokenCountAsReuseAndRevokeTheSession() throws Exception {
    Reply created = create(successToken(succeededAction()), "web-app");
    String access = created.body().get("accessToken").asString();
    String refresh = created.body().get("refreshToken").asString();

    List<Callable<Reply>> calls = List.of(() -> refresh(refresh), () -> refresh(refresh));
    List<Reply> replies = new ArrayList<>();
    for (Future<Reply> f : POOL.invokeAll(calls)) {
      replies.add(f.get());
    }

    // one refresh spent the token; the other presented a spent token: reuse, the family is gone
    assertThat(replies.stream().filter(r -> r.status() == 200).count()).isLessThanOrEqualTo(1);
    assertThat(replies.stream().filter(r -> r.status() == 400)).isNotEmpty();
    for (Reply reply : replies) {
      if (reply.status() == 200) {
        assertInvalid(
            validate(reply.body().get("accessToken").asString(), null),
            "The session has been revoked.");
        assertInvalid(
            refresh(reply.body().get("refreshToken").asString()), "The session has been revoked.");
      }
    }
    assertThat(sessionOf(access).getString("revokedReason")).isEqualTo("REFRESH_TOKEN_REUSED");
  }

  @Test
  void unknownOrMalformedRefreshTokensAreRefused() {
    assertInvalid(refresh("x".repeat(43)), "The refresh token is invalid.");
    assertInvalid(refresh("short"), "The refresh token is invalid.");
    assertInvalid(refresh("{\\\"$ne\\\":null}"), "The refresh token is invalid.");
  }

  // --- revocation of all of a user's sessions ---

  @Test
  void revokingAUsersSessionsEndsEachOfThemAndNoOneElses() {
    String userId = "u-" + UUID.randomUUID();
    TokenClaims first = action(userId, "CHALLENGE_SUCCEEDED");
    TokenClaims second = action(userId, "CHALLENGE_SUCCEEDED");
    TokenClaims pending = action(userId, "CHALLENGE_SUCCEEDED");
    String pendingToken = successToken(pending);
    Reply a = create(successToken(first), "web-app");
    Reply b = create(successToken(second), "ios-app");
    Reply other = create(successToken(succeededAction()), "web-app");

    Reply revoked = post("/v1/sessions/user/revoke", "{\"userId\":\"" + userId + "\"}");

    assertThat(revoked.status()).isEqualTo(200);
    for (Reply session : List.of(a, b)) {
      assertInvalid(
          validate(session.body().get("accessToken").asString(), null),
          "The session has been revoked.");
      assertInvalid(
          refresh(session.body().get("refreshToken").asString()), "The session has been revoked.");
      assertThat(sessionOf(session.body().get("accessToken").asString()).getString("revokedReason"))
          .isEqualTo("USER_SESSIONS_REVOKED");
    }
    assertThat(validate(other.body().get("accessToken").asString(), null).status()).isEqualTo(200);
    // a proof issued before the revocation opens no new session
    assertInvalid(
        create(pendingToken, "web-app"),
        "The token was issued before the user's sessions were revoked.");
  }

  @Test
  void deletingAUserEndsItsSessions() {
    String userId = "u-" + UUID.randomUUID();
    TokenClaims claims = action(userId, "CHALLENGE_SUCCEEDED");
    String pendingToken = successToken(action(userId, "CHALLENGE_SUCCEEDED"));
    Reply session = create(successToken(claims), "web-app");
    assertThat(validate(session.body().get("accessToken").asString(), null).status())
        .isEqualTo(200);

    Reply deleted = delete("/v1/users/" + userId);

    assertThat(deleted.status()).as(deleted.response().body()).isEqualTo(200);
    assertInvalid(
        validate(session.body().get("accessToken").asString(), null),
        "The session has been revoked.");
    assertInvalid(
        refresh(session.body().get("refreshToken").asString()), "The session has been revoked.");
    assertThat(sessionOf(session.body().get("accessToken").asString()).getString("revokedReason"))
        .isEqualTo("USER_DELETED");
    assertInvalid(
        create(pendingToken, "web-app"),
        "The token was issued before the user's sessions were revoked.");
  }

  @Test
  void aSessionThatEscapedTheSweepIsStillRevokedByTheUserWatermark() {
    TokenClaims claims = succeededAction();
    Reply created = create(successToken(claims), "web-app");
    // as if the session had been written just after the sweep read the user's live sessions
    store.markUserRevoked(claims.userId(), Instant.now().plusSeconds(1)).block();

    assertInvalid(
        validate(created.body().get("accessToken").asString(), null),
        "The session has been revoked.");
    assertThat(sessionOf(created.body().get("accessToken").asString()).get("revokedAt")).isNull();
  }

  // --- wrong kinds, clients, expiry ---

  @Test
  void tokensOfTheWrongKindAreRefusedEverywhere() {
    TokenClaims claims = succeededAction();
    Reply created = create(successToken(claims), "web-app");
    String access = created.body().get("accessToken").asString();
    String refresh = created.body().get("refreshToken").asString();

    String wrongKind = "The token is not of a kind this endpoint accepts.";
    assertInvalid(create(tokens.issue(TokenKind.TRACK, claims), "web-app"), wrongKind);
    assertInvalid(create(tokens.issue(TokenKind.ACCESS, claims), "web-app"), wrongKind);
    assertInvalid(create(access, "web-app"), wrongKind);
    assertInvalid(validate(successToken(claims), null), wrongKind);
    assertInvalid(validate(tokens.issue(TokenKind.TRACK, claims), null), wrongKind);
    assertInvalid(validate(refresh, null), "The token is malformed.");
    assertInvalid(refresh(access), "The refresh token is invalid.");

    // a session access token proves no challenge and opens neither the client nor the server API
    Reply validated = post("/v1/validate", "{\"token\":\"" + access + "\"}");
    assertThat(validated.body().get("isValid").asBoolean()).isFalse();
    assertThat(validated.body().get("error").asString()).isEqualTo(wrongKind);
    assertThat(bearer("/v1/client/user-authenticators", access)).isEqualTo(401);
    assertThat(bearer("/v1/users/" + claims.userId(), access)).isEqualTo(401);
  }

  @Test
  void validateChecksTheClientIds() {
    Reply created = create(successToken(succeededAction()), "web-app");
    String access = created.body().get("accessToken").asString();

    String notForThem = "The token was not issued for any of these clients.";
    assertInvalid(validate(access, "[\"ios-app\"]"), notForThem);
    assertInvalid(validate(access, "[]"), notForThem);
    assertInvalid(validate(access, "[\"WEB-APP\"]"), notForThem);
    assertThat(validate(access, "[\"web-app\"]").status()).isEqualTo(200);
  }

  @Test
  void expiredAccessTokensSessionsAndRefreshTokensAreRefused() {
    TokenClaims claims = succeededAction();
    Reply created = create(successToken(claims), "web-app");
    String access = created.body().get("accessToken").asString();
    String sessionId = sessionOf(access).getString("_id");

    // an access token of the live session that expired (signed with the deployment's key)
    Instant past = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    TokenService pastTokens =
        new TokenService(
            tokenProperties(),
            Clock.fixed(past, ZoneOffset.UTC),
            new SecureRandom(),
            new SimpleMeterRegistry());
    String expired =
        pastTokens.issueSession(
            new SessionToken(
                claims.userId(),
                "web-app",
                sessionId,
                "signet",
                "old",
                past,
                past.plus(Duration.ofMinutes(5))));
    assertInvalid(validate(expired, null), "The token has expired.");
    assertInvalid(
        post("/v1/sessions/revoke", "{\"accessToken\":\"" + expired + "\"}"),
        "The token has expired.");

    // a refresh token past its own lifetime
    mongo
        .updateMulti(
            Query.query(Criteria.where("sessionId").is(sessionId)),
            new Update().set("expiresAt", Date.from(past)),
            SessionStore.REFRESH_TOKENS)
        .block();
    assertInvalid(
        refresh(created.body().get("refreshToken").asString()), "The refresh token has expired.");

    // a session past its absolute lifetime
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(sessionId)),
            new Update().set("expiresAt", Date.from(past)),
            SessionStore.SESSIONS)
        .block();
    assertInvalid(validate(access, null), "The session has expired.");
  }

  @Test
  void endedSessionsAndTheirRefreshTokensAreDeletedOnlyOnceTheyEnded() {
    Reply created = create(successToken(succeededAction()), "web-app");
    String access = created.body().get("accessToken").asString();
    String sessionId = sessionOf(access).getString("_id");
    Instant sessionEnd = sessionOf(access).getDate("expiresAt").toInstant();
    Instant refreshEnd =
        mongo
            .findOne(
                Query.query(Criteria.where("sessionId").is(sessionId)),
                Document.class,
                SessionStore.REFRESH_TOKENS)
            .block()
            .getDate("expiresAt")
            .toInstant();

    store.purgeEndedBefore(refreshEnd).block();
    assertThat(refreshTokenDocuments(sessionId)).isNotEqualTo("[]");
    store.purgeEndedBefore(refreshEnd.plusMillis(1)).block();
    assertThat(refreshTokenDocuments(sessionId)).isEqualTo("[]");
    assertThat(sessionOf(access)).isNotNull();

    store.purgeEndedBefore(sessionEnd.plusMillis(1)).block();
    assertThat(sessionOf(access)).isNull();
  }

  // --- requests ---

  @Test
  void badRequestsAreRefusedWithTheDocumentedErrors() {
    assertThat(post("/v1/sessions", "{}", "application/json", false).status()).isEqualTo(401);
    Reply noToken = post("/v1/sessions", "{\"clientId\":\"web-app\"}");
    assertThat(noToken.status()).isEqualTo(400);
    assertThat(noToken.body().get("error").asString()).isEqualTo("invalid_request");
    assertThat(noToken.body().get("errorCode").asString()).isEqualTo("invalid_request");
    assertThat(post("/v1/sessions", "{\"token\":\"x\",\"clientId\":\"a b\"}").status())
        .isEqualTo(400);
    assertThat(post("/v1/sessions", "{\"token\":{\"$ne\":null},\"clientId\":\"a\"}").status())
        .isEqualTo(400);
    assertThat(
            post("/v1/sessions/validate", "{\"accessToken\":\"x\",\"clientIds\":\"a\"}").status())
        .isEqualTo(400);
    assertThat(post("/v1/sessions/validate", "{\"accessToken\":\"x\",\"clientIds\":[1]}").status())
        .isEqualTo(400);
    assertThat(post("/v1/sessions/user/revoke", "{\"userId\":\"../x\"}").status()).isEqualTo(400);
    assertThat(post("/v1/sessions/refresh", "[]").status()).isEqualTo(400);
    assertInvalid(validate("not-a-token", null), "The token is malformed.");
  }

  // --- helpers ---

  private static TokenProperties tokenProperties() {
    return new TokenProperties(TestKeys.jwkSet(SIGNING_KEY), "t1", "signet", null, null);
  }

  private Reply post(String path, String body) {
    return post(path, body, "application/json", true);
  }

  private Reply create(String token, String clientId) {
    return post("/v1/sessions", "{\"token\":\"" + token + "\",\"clientId\":\"" + clientId + "\"}");
  }

  private Reply validate(String accessToken, String clientIdsJson) {
    return post(
        "/v1/sessions/validate",
        "{\"accessToken\":\""
            + accessToken
            + "\""
            + (clientIdsJson == null ? "" : ",\"clientIds\":" + clientIdsJson)
            + "}");
  }

  private Reply refresh(String refreshToken) {
    return post("/v1/sessions/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}");
  }

  private int bearer(String path, String token) {
    try {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + path))
                      .header("Authorization", "Bearer " + token)
                      .GET()
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertInvalid(Reply reply, String description) {
    assertThat(reply.status()).as(reply.response().body()).isEqualTo(400);
    JsonNode body = reply.body();
    assertThat(body.get("error").asString()).isEqualTo("invalid_token");
    assertThat(body.get("errorCode").asString()).isEqualTo("invalid_token");
    assertThat(body.get("errorDescription").asString()).isEqualTo(description);
  }

  private String successToken(TokenClaims claims) {
    return tokens.issue(TokenKind.SUCCESS, claims);
  }

  private TokenClaims succeededAction() {
    return action("CHALLENGE_SUCCEEDED");
  }

  private TokenClaims action(String state) {
    return action("u-" + UUID.randomUUID(), state);
  }

  private TokenClaims action(String userId, String state) {
    TokenClaims claims = new TokenClaims(userId, "signIn", "k-" + UUID.randomUUID(), "", "signet");
    mongo
        .insert(
            new Document(
                    "_id",
                    claims.userId() + ":" + claims.actionCode() + ":" + claims.idempotencyKey())
                .append("userId", claims.userId())
                .append("actionCode", claims.actionCode())
                .append("idempotencyKey", claims.idempotencyKey())
                .append("state", state)
                .append("verificationMethod", "SMS"),
            "actions")
        .block();
    return claims;
  }

  private Document sessionOf(String accessToken) {
    try {
      String sid = SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
      return mongo
          .findOne(Query.query(Criteria.where("_id").is(sid)), Document.class, "sessions")
          .block();
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private String refreshTokenDocuments(String sessionId) {
    return mongo
        .find(
            Query.query(Criteria.where("sessionId").is(sessionId)),
            Document.class,
            SessionStore.REFRESH_TOKENS)
        .map(Document::toJson)
        .collectList()
        .block()
        .toString();
  }

  @SuppressWarnings("unchecked")
  private static List<String> outboxTopics(Document session) {
    List<Document> outbox = (List<Document>) session.getOrDefault("outbox", List.of());
    return outbox.stream().map(d -> d.getString("topic")).toList();
  }
}
