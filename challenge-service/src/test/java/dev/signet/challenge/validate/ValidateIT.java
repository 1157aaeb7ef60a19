package dev.signet.challenge.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.TestKeys;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenContextSupport;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenProperties;
import dev.signet.challenge.token.TokenService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import tools.jackson.databind.JsonNode;

class ValidateIT extends TokenContextSupport {

  private static final Instant STATE_UPDATED_AT = Instant.parse("2026-11-25T18:01:02.345Z");

  @Autowired ReactiveMongoTemplate mongo;

  // --- genuine tokens ---

  @Test
  void aTokenOfASucceededChallengeIsValidWithTheActionState() {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");

    Reply reply =
        validate(body(tokens.issue(TokenKind.SUCCESS, claims), claims.userId(), "signIn"));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.body();
    assertThat(body.get("isValid").asBoolean()).isTrue();
    assertThat(body.get("state").asString()).isEqualTo("CHALLENGE_SUCCEEDED");
    assertThat(body.get("stateUpdatedAt").asString()).isEqualTo("2026-11-25T18:01:02.345Z");
    assertThat(body.get("userId").asString()).isEqualTo(claims.userId());
    assertThat(body.get("actionCode").asString()).isEqualTo("signIn");
    assertThat(body.get("action").asString()).isEqualTo("signIn");
    assertThat(body.get("idempotencyKey").asString()).isEqualTo(claims.idempotencyKey());
    assertThat(body.get("verificationMethod").asString()).isEqualTo("SMS");
    assertThat(body.has("error")).isFalse();
  }

  @Test
  void userIdAndActionAreOptional() {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");

    Reply reply = validate("{\"token\":\"" + tokens.issue(TokenKind.SUCCESS, claims) + "\"}");

    assertThat(reply.body().get("isValid").asBoolean()).isTrue();
  }

  @Test
  void aTokenOfAnActionInAnotherStateIsNotValidButReportsTheState() {
    TokenClaims claims = newAction("CHALLENGE_FAILED");

    Reply reply = validate(body(tokens.issue(TokenKind.SUCCESS, claims), claims.userId(), null));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("isValid").asBoolean()).isFalse();
    assertThat(reply.body().get("state").asString()).isEqualTo("CHALLENGE_FAILED");
    assertThat(reply.body().get("idempotencyKey").asString()).isEqualTo(claims.idempotencyKey());
  }

  @Test
  void reportsTheCurrentStateNotTheStateAtIssue() {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");
    String token = tokens.issue(TokenKind.SUCCESS, claims);
    assertThat(validate(body(token, null, null)).body().get("isValid").asBoolean()).isTrue();

    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(id(claims))),
            new Update().set("state", "REVIEW_REQUIRED"),
            "actions")
        .block();

    JsonNode after = validate(body(token, null, null)).body();
    assertThat(after.get("isValid").asBoolean()).isFalse();
    assertThat(after.get("state").asString()).isEqualTo("REVIEW_REQUIRED");
  }

  @Test
  void aTokenWhoseActionDoesNotExistIsNotValid() {
    TokenClaims claims =
        new TokenClaims("u-" + UUID.randomUUID(), "signIn", "idem-none", "", "tenant-1");

    Reply reply = validate(body(tokens.issue(TokenKind.SUCCESS, claims), null, null));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("isValid").asBoolean()).isFalse();
    assertThat(reply.body().get("error").asString()).contains("does not exist");
  }

  @Test
  void anotherUsersTokenIsNotValid() {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");

    Reply reply = validate(body(tokens.issue(TokenKind.SUCCESS, claims), "someone-else", "signIn"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("isValid").asBoolean()).isFalse();
    assertThat(reply.body().get("error").asString()).contains("user");
    assertThat(reply.body().has("state")).isFalse();
  }

  @Test
  void aTokenForAnotherActionIsNotValid() {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");

    Reply reply =
        validate(body(tokens.issue(TokenKind.SUCCESS, claims), claims.userId(), "transfer"));

    assertThat(reply.body().get("isValid").asBoolean()).isFalse();
    assertThat(reply.body().get("error").asString()).contains("action");
  }

  // --- tokens that prove nothing: always 200 with isValid false and the reason ---

  static Stream<Arguments> untrustedTokens() {
    return Stream.of(
        Arguments.of("expired", (Function<TokenClaims, String>) ValidateIT::expired, "expired"),
        Arguments.of(
            "signed by a foreign key",
            (Function<TokenClaims, String>)
                c -> foreign(TestKeys.p256("elsewhere"), "elsewhere").issue(TokenKind.SUCCESS, c),
            "unknown key"),
        Arguments.of(
            "foreign key under our kid",
            (Function<TokenClaims, String>)
                c -> foreign(TestKeys.p256("t1"), "t1").issue(TokenKind.SUCCESS, c),
            "signature"),
        Arguments.of("alg none", (Function<TokenClaims, String>) ValidateIT::algNone, "algorithm"),
        Arguments.of(
            "HS256 with the public key as secret",
            (Function<TokenClaims, String>) ValidateIT::hs256WithPublicKey,
            "algorithm"),
        Arguments.of(
            "wrong audience",
            (Function<TokenClaims, String>) ValidateIT::otherAudience,
            "audience"),
        Arguments.of("garbage", (Function<TokenClaims, String>) c -> "abc", "malformed"),
        Arguments.of(
            "three dots of nothing", (Function<TokenClaims, String>) c -> "..", "malformed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untrustedTokens")
  void anUntrustedTokenIsAnsweredWithIsValidFalse(
      String name, Function<TokenClaims, String> forge, String reason) {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");

    Reply reply = validate(body(forge.apply(claims), claims.userId(), "signIn"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("isValid").asBoolean()).isFalse();
    assertThat(reply.body().get("error").asString()).containsIgnoringCase(reason);
    assertThat(reply.body().has("state")).isFalse();
  }

  // --- bad requests ---

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("{}", "token is required"),
        Arguments.of("{\"token\":\"\"}", "token is required"),
        Arguments.of("{\"token\":null}", "token is required"),
        Arguments.of("{\"token\":12345}", "token must be a string"),
        Arguments.of("{\"token\":{\"$ne\":null}}", "token must be a string"),
        Arguments.of("{\"token\":[\"a.b.c\"]}", "token must be a string"),
        Arguments.of("{\"token\":\"a.b.c\",\"userId\":7}", "userId must be a string"),
        Arguments.of("{\"token\":\"a.b.c\",\"action\":{}}", "action must be a string"),
        Arguments.of("{\"token\":\"" + "a".repeat(20_000) + "\"}", "token is too long"),
        Arguments.of("[]", null),
        Arguments.of("{\"token\":", null),
        Arguments.of("", null));
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void aBodyWithoutAStringTokenIsAnInvalidRequest(String body, String description) {
    Reply reply = validate(body);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("error").asString()).isEqualTo("invalid_request");
    if (description != null) {
      assertThat(reply.body().get("errorDescription").asString()).contains(description);
    }
  }

  @Test
  void requiresTheApiSecret() {
    TokenClaims claims = newAction("CHALLENGE_SUCCEEDED");

    Reply reply =
        post(
            "/v1/validate",
            body(tokens.issue(TokenKind.SUCCESS, claims), null, null),
            "application/json",
            false);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().get("error").asString()).isEqualTo("unauthorized");
  }

  @Test
  void requiresJson() {
    Reply reply = post("/v1/validate", "token=abc", "text/plain", true);

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.body().get("error").asString()).isEqualTo("unsupported_media_type");
  }

  // --- helpers ---

  private TokenClaims newAction(String state) {
    TokenClaims claims =
        new TokenClaims(
            "u-" + UUID.randomUUID(), "signIn", UUID.randomUUID().toString(), "", "tenant-1");
    Document action =
        new Document("_id", id(claims))
            .append("userId", claims.userId())
            .append("actionCode", claims.actionCode())
            .append("idempotencyKey", claims.idempotencyKey())
            .append("state", state)
            .append("stateUpdatedAt", Date.from(STATE_UPDATED_AT))
            .append("createdAt", Date.from(STATE_UPDATED_AT.minusSeconds(60)))
            .append("verificationMethod", "SMS");
    mongo.insert(action, "actions").block();
    return claims;
  }

  private static String id(TokenClaims claims) {
    return claims.userId() + ":" + claims.actionCode() + ":" + claims.idempotencyKey();
  }

  private Reply validate(String body) {
    return post("/v1/validate", body, "application/json", true);
  }

  private static String body(String token, String userId, String action) {
    StringBuilder json = new StringBuilder("{\"token\":\"").append(token).append('"');
    if (userId != null) {
      json.append(",\"userId\":\"").append(userId).append('"');
    }
    if (action != null) {
      json.append(",\"action\":\"").append(action).append('"');
    }
    return json.append('}').toString();
  }

  private static TokenService foreign(com.nimbusds.jose.jwk.ECKey key, String kid) {
    return new TokenService(
        new TokenProperties(TestKeys.jwkSet(key), kid, null, null, null),
        Clock.systemUTC(),
        new SecureRandom(),
        new SimpleMeterRegistry());
  }

  private static String expired(TokenClaims claims) {
    Clock past = Clock.fixed(Instant.now().minus(1, ChronoUnit.HOURS), ZoneOffset.UTC);
    return new TokenService(
            new TokenProperties(TestKeys.jwkSet(SIGNING_KEY), "t1", null, null, null),
            past,
            new SecureRandom(),
            new SimpleMeterRegistry())
        .issue(TokenKind.SUCCESS, claims);
  }

  private static String otherAudience(TokenClaims claims) {
    return new TokenService(
            new TokenProperties(
                TestKeys.jwkSet(SIGNING_KEY), "t1", "someone-else", Duration.ofMinutes(10), null),
            Clock.systemUTC(),
            new SecureRandom(),
            new SimpleMeterRegistry())
        .issue(TokenKind.SUCCESS, claims);
  }

  private static String algNone(TokenClaims claims) {
    String[] genuine = foreign(SIGNING_KEY, "t1").issue(TokenKind.SUCCESS, claims).split("\\.");
    return Base64URL.encode("{\"alg\":\"none\",\"kid\":\"t1\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + genuine[1]
        + ".";
  }

  private static String hs256WithPublicKey(TokenClaims claims) {
    try {
      SignedJWT genuine =
          SignedJWT.parse(foreign(SIGNING_KEY, "t1").issue(TokenKind.SUCCESS, claims));
      SignedJWT forged =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("t1").build(),
              genuine.getJWTClaimsSet());
      forged.sign(
          new MACSigner(SIGNING_KEY.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
      return forged.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
