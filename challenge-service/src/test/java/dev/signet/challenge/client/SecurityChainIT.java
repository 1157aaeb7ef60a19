package dev.signet.challenge.client;

import static dev.signet.challenge.client.ClientApiIT.assertClientError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tries to get past the security chain: path spellings that a matcher on the raw path and the
 * router on the decoded one would read differently, every credential on every surface it does not
 * belong to, and every token kind where another is expected. Nothing here may ever answer 2xx, and
 * every refusal is a JSON error body.
 */
class SecurityChainIT extends ClientItSupport {

  private static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 404);

  private static final String WRONG_KIND = "The token is not of a kind this endpoint accepts.";

  private static final List<String> CLIENT_ROUTES =
      List.of(
          "/v1/client/challenge/sms",
          "/v1/client/challenge/whatsapp",
          "/v1/client/verify/sms",
          "/v1/client/verify/whatsapp",
          "/v1/client/user-authenticators/sms");

  // --- path spellings ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1;x/users/{id}",
        "/v1/users;x/{id}",
        "/v1/users/{id};x",
        "/v1/%2e/users/{id}",
        "/v1/users%2f{id}",
        "/v1/users%2F{id}",
        "/v1/users%5c{id}",
        "/v1//users/{id}",
        "/v1/./users/{id}",
        "/v1/x/../users/{id}",
        "/v1/users/{id}%00",
        "/v1/users/{id}/",
        "/V1/USERS/{id}",
        "/v1/Users/{id}",
        "/v1/client/../users/{id}",
        "/v1/client/public/..%2f..%2fusers/{id}",
        "/v1/client/public/x/../../../users/{id}",
        "//v1/users/{id}"
      })
  void aServerRouteSpelledDifferentlyIsNeverAnsweredWithItsData(String spelling) {
    String userId = newUserId();
    server("PATCH", "/v1/users/" + userId, "{\"email\":\"secret@example.com\"}");
    String path = spelling.replace("{id}", userId);

    for (Map<String, String> credential :
        List.of(Map.<String, String>of(), apiSecret(), bearer(trackToken(userId)))) {
      Reply reply = call("GET", path, null, credential);

      assertRefusedWithJson(reply, path);
      assertThat(reply.raw()).as(path).doesNotContain("secret@example.com");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1;x/client/challenge/sms",
        "/v1/client;x/challenge/sms",
        "/v1/client/challenge;x/sms",
        "/v1/client/challenge/sms;x",
        "/v1/client%2fchallenge/sms",
        "/v1/client/%2e/challenge/sms",
        "/v1/client//challenge/sms",
        "/v1/client/./challenge/sms",
        "/v1/client/x/../challenge/sms",
        "/v1/client/challenge/sms%00",
        "/v1/client/challenge/sms/",
        "/V1/CLIENT/CHALLENGE/SMS",
        "/v1/Client/challenge/sms",
        "/v1/client/public/../challenge/sms",
        "/v1/client/public/%2e%2e/challenge/sms"
      })
  void aClientRouteSpelledDifferentlySendsNoCode(String path) {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");

    for (Map<String, String> credential : List.of(Map.<String, String>of(), bearer(token))) {
      Map<String, String> headers = new LinkedHashMap<>(credential);
      headers.put("Content-Type", "application/json");
      Reply reply = call("POST", path, "{}", headers);

      assertRefusedWithJson(reply, path);
      assertThat(reply.text("challengeId")).as(path).isNull();
    }
  }

  @Test
  void theOldBypassesOfTheServerApiAreRefused() {
    String victim = newUserId();
    Map<String, String> json = Map.of("Content-Type", "application/json");

    Reply challenge =
        call(
            "POST",
            "/v1;x/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + newPhoneNumber()
                + "\"}",
            json);
    Reply verify =
        call(
            "POST",
            "/v1;x/verify",
            "{\"challengeId\":\"x\",\"verificationCode\":\"123456\"}",
            json);
    Reply claim =
        call("POST", "/v1;x/claim", "{\"challengeId\":\"x\",\"userId\":\"" + victim + "\"}", json);
    Reply read = call("GET", "/%76%31/users/" + victim, null, Map.of());
    Reply readClient = call("GET", "/%76%31/users/" + victim, null, bearer(trackToken(victim)));

    assertRefusedWithJson(challenge, "challenge");
    assertThat(challenge.status()).isEqualTo(400);
    assertRefusedWithJson(verify, "verify");
    assertThat(verify.status()).isEqualTo(400);
    assertRefusedWithJson(claim, "claim");
    assertThat(claim.status()).isEqualTo(400);
    assertThat(claim.text("token")).isNull();
    assertThat(read.status()).isEqualTo(401);
    assertThat(read.text("error")).isEqualTo("unauthorized");
    assertThat(readClient.status()).isEqualTo(403);
  }

  @Test
  void encodedLettersAreTheSameRouteWithTheSameCredential() {
    String userId = newUserId();
    server("PATCH", "/v1/users/" + userId, "{\"username\":\"encoded\"}");

    Reply encoded = call("GET", "/%76%31/users/" + userId, null, apiSecret());
    Reply plain = call("GET", "/v1/users/" + userId, null, apiSecret());

    assertThat(encoded.status()).isEqualTo(200);
    assertThat(encoded.body()).isEqualTo(plain.body());
  }

  // --- credentials on the wrong surface ---

  @Test
  void theManagementSecretOpensNoApiRoute() {
    for (Map<String, String> management :
        List.of(basic(MANAGEMENT_SECRET), bearer(MANAGEMENT_SECRET))) {
      Reply users = call("GET", "/v1/users/" + newUserId(), null, management);
      Reply client = call("POST", "/v1/client/challenge/sms", null, management);

      assertThat(users.status()).isEqualTo(403);
      assertThat(users.text("error")).isEqualTo("forbidden");
      assertThat(users.text("errorCode")).isEqualTo("forbidden");
      assertClientError(client, 403, "forbidden");
    }
  }

  @Test
  void theApiSecretOpensNoClientOrActuatorRoute() {
    Reply client = call("POST", "/v1/client/challenge/sms", null, apiSecret());
    Reply prometheus = call("GET", "/actuator/prometheus", null, apiSecret());
    Reply bearerApiSecret = call("GET", "/v1/users/" + newUserId(), null, bearer(API_SECRET));

    assertClientError(client, 403, "forbidden");
    assertThat(prometheus.status()).isEqualTo(403);
    assertThat(prometheus.text("error")).isEqualTo("forbidden");
    assertThat(bearerApiSecret.status()).isEqualTo(401);
    assertThat(bearerApiSecret.header("WWW-Authenticate")).isEqualTo("Basic realm=\"signet\"");
  }

  @Test
  void theActuatorNeedsTheManagementSecretExceptForTheProbes() {
    assertThat(call("GET", "/actuator/health/liveness", null, Map.of()).status()).isEqualTo(200);
    assertThat(call("GET", "/actuator/health/readiness", null, Map.of()).status()).isEqualTo(200);
    Reply health = call("GET", "/actuator/health", null, Map.of());
    assertThat(health.status()).isEqualTo(401);
    assertThat(health.text("error")).isEqualTo("unauthorized");
    assertThat(call("GET", "/actuator/prometheus", null, Map.of()).status()).isEqualTo(401);
    assertThat(call("GET", "/actuator/prometheus", null, bearer(trackToken(newUserId()))).status())
        .isEqualTo(403);

    Reply prometheus = call("GET", "/actuator/prometheus", null, bearer(MANAGEMENT_SECRET));
    Reply mappings = call("GET", "/actuator/mappings", null, basic(MANAGEMENT_SECRET));
    Reply fullHealth = call("GET", "/actuator/health", null, bearer(MANAGEMENT_SECRET));

    assertThat(prometheus.status()).isEqualTo(200);
    assertThat(prometheus.raw()).contains("jvm_");
    assertThat(mappings.status()).isEqualTo(200);
    assertThat(fullHealth.status()).isEqualTo(200);
    assertThat(fullHealth.body().path("components").has("mongo")).isTrue();
  }

  @Test
  void onlyTheJwksAndTheProbesArePublic() {
    assertThat(call("GET", "/.well-known/jwks.json", null, Map.of()).status()).isEqualTo(200);
    assertThat(
            call("GET", "/v1/client/public/" + TENANT + "/.well-known/jwks", null, Map.of())
                .status())
        .isEqualTo(200);

    for (String path : List.of("/", "/anything", "/v2/users/u1", "/error", "/actuator")) {
      Reply anonymous = call("GET", path, null, Map.of());
      Reply withSecret = call("GET", path, null, apiSecret());

      assertThat(anonymous.status()).as(path).isEqualTo(401);
      assertThat(anonymous.text("error")).as(path).isEqualTo("unauthorized");
      assertThat(withSecret.status()).as(path).isIn(403, 404);
    }
    assertThat(call("POST", "/.well-known/jwks.json", "{}", Map.of()).status()).isEqualTo(401);
  }

  // --- token kinds ---

  @ParameterizedTest
  @EnumSource(TokenKind.class)
  void noClientTokenOpensAServerRoute(TokenKind kind) {
    String userId = newUserId();
    String token = tokens.issue(kind, new TokenClaims(userId, "signIn", "k-1", "", TENANT));

    Reply reply = call("GET", "/v1/users/" + userId, null, bearer(token));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.text("error")).isEqualTo("forbidden");
  }

  @Test
  void aTokenWithoutASignetKindIsRefusedOnEveryClientRoute() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String genuine = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");

    for (String type : new String[] {"JWT", null, "at+jwt"}) {
      String untyped = retyped(genuine, type);
      for (String route : CLIENT_ROUTES) {
        Reply reply = client(route, untyped, "{}");

        assertClientError(reply, 401, "unauthorized");
        assertThat(reply.text("errorDescription")).as(route).isEqualTo(WRONG_KIND);
      }
    }
  }

  @Test
  void validateAcceptsOnlySuccessTokens() {
    String userId = newUserId();
    String idempotencyKey = UUID.randomUUID().toString();
    actionStore
        .recordClaimedChallenge(
            userId,
            "signIn",
            idempotencyKey,
            dev.signet.challenge.action.ActionState.CHALLENGE_SUCCEEDED,
            "SMS")
        .block();
    TokenClaims claims = new TokenClaims(userId, "signIn", idempotencyKey, "", TENANT);

    for (TokenKind kind : List.of(TokenKind.TRACK, TokenKind.ACCESS)) {
      JsonNode validated = validate(tokens.issue(kind, claims));

      assertThat(validated.path("isValid").asBoolean()).as(kind.name()).isFalse();
      assertThat(validated.path("error").asText()).as(kind.name()).isEqualTo(WRONG_KIND);
      assertThat(validated.has("state")).as(kind.name()).isFalse();
    }
    assertThat(
            validate(retyped(tokens.issue(TokenKind.SUCCESS, claims), "JWT"))
                .path("error")
                .asText())
        .isEqualTo(WRONG_KIND);
    JsonNode success = validate(tokens.issue(TokenKind.SUCCESS, claims));
    assertThat(success.path("isValid").asBoolean()).isTrue();
    assertThat(success.path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");
  }

  @Test
  void theVerifyOfAnActionChallengeReturnsASuccessTokenBoundToTheFirstAuthentication()
      throws Exception {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String track = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", track, null).text("challengeId");

    Reply verified =
        client(
            "/v1/client/verify/sms",
            track,
            "{\"verificationCode\":\"" + codeOf(challengeId, 1) + "\"}");

    String accessToken = verified.text("accessToken");
    SignedJWT issued = SignedJWT.parse(accessToken);
    SignedJWT tracked = SignedJWT.parse(track);
    Instant authTime = Instant.ofEpochSecond(tracked.getJWTClaimsSet().getLongClaim("auth_time"));
    assertThat(issued.getHeader().getType().getType()).isEqualTo("signet-success+jwt");
    assertThat(tracked.getHeader().getType().getType()).isEqualTo("signet-track+jwt");
    assertThat(issued.getJWTClaimsSet().getLongClaim("auth_time"))
        .isEqualTo(authTime.getEpochSecond());
    assertThat(issued.getJWTClaimsSet().getExpirationTime().toInstant())
        .isBeforeOrEqualTo(authTime.plusSeconds(30 * 60));
    assertThat(issued.getJWTClaimsSet().getIssuer()).isEqualTo("urn:signet:challenge-service");
    assertThat(validate(accessToken).path("isValid").asBoolean()).isTrue();
    assertThat(validate(track).path("isValid").asBoolean()).isFalse();
  }

  @Test
  void anEnrolmentVerifyUnderATrackTokenReturnsAnAccessTokenThatProvesNothing() throws Exception {
    String userId = newUserId();
    String phone = newPhoneNumber();
    String track = actionToken(userId, "signUp", "ALLOW", "");
    client("/v1/client/user-authenticators/sms", track, "{\"phoneNumber\":\"" + phone + "\"}");
    String challengeId = latestChallengeOf(track);

    Reply verified =
        client(
            "/v1/client/verify/sms",
            track,
            "{\"verificationCode\":\"" + codeOf(challengeId, 1) + "\"}");

    String accessToken = verified.text("accessToken");
    assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw()).isTrue();
    assertThat(SignedJWT.parse(accessToken).getHeader().getType().getType())
        .isEqualTo("signet-access+jwt");
    assertThat(validate(accessToken).path("error").asText()).isEqualTo(WRONG_KIND);
    // Still a client credential: the browser goes on with it.
    assertThat(client("/v1/client/challenge/sms", accessToken, null).status()).isNotEqualTo(401);
  }

  // --- helpers ---

  @Autowired ClientSessions sessions;

  private String latestChallengeOf(String token) {
    TokenClaims claims = ((TokenVerification.Valid) tokens.verify(token)).claims();
    return sessions
        .find(ActionStore.id(claims.userId(), claims.actionCode(), claims.idempotencyKey()))
        .block()
        .orElseThrow()
        .challengeId();
  }

  private String trackToken(String userId) {
    return tokens.issue(
        TokenKind.TRACK,
        new TokenClaims(userId, "signIn", UUID.randomUUID().toString(), "", TENANT));
  }

  private static void assertRefusedWithJson(Reply reply, String what) {
    assertThat(reply.status()).as(what + " " + reply.raw()).isIn(REFUSALS);
    assertThat(reply.header("Content-Type")).as(what).startsWith("application/json");
    assertThat(reply.text("error")).as(what).isNotBlank();
  }

  private static Map<String, String> apiSecret() {
    return basic(API_SECRET);
  }

  private static Map<String, String> basic(String user) {
    return Map.of(
        "Authorization",
        "Basic "
            + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> bearer(String value) {
    return Map.of("Authorization", "Bearer " + value);
  }

  /** {@code token}'s claims signed again with our key under another {@code typ} (or none). */
  private static String retyped(String token, String type) {
    try {
      JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("t1");
      if (type != null) {
        header.type(new JOSEObjectType(type));
      }
      JWSObject jws =
          new JWSObject(
              header.build(), new Payload(SignedJWT.parse(token).getPayload().toString()));
      jws.sign(new ECDSASigner(SIGNING_KEY));
      return jws.getHeader().toBase64URL()
          + "."
          + jws.getPayload().toBase64URL()
          + "."
          + Base64URL.encode(lowS(jws.getSignature().decode()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final BigInteger ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static byte[] lowS(byte[] signature) {
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (s.compareTo(ORDER.shiftRight(1)) <= 0) {
      return signature;
    }
    byte[] low = ORDER.subtract(s).toByteArray();
    byte[] out = Arrays.copyOf(signature, 64);
    Arrays.fill(out, 32, 64, (byte) 0);
    int length = Math.min(low.length, 32);
    System.arraycopy(low, low.length - length, out, 64 - length, length);
    return out;
  }
}
