package dev.signet.challenge.client;

import static dev.signet.challenge.client.ClientApiIT.assertClientError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.signet.challenge.token.TestKeys;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenProperties;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.web.ApiError;
import dev.signet.testsupport.ServiceHttp.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP surface of the client API: strict bearer tokens, the client error body for every
 * failure, request bodies the official SDK sends, and CORS for configured origins only.
 */
class ClientSurfaceIT extends ClientItSupport {

  // --- tokens ---

  @Test
  void aRequestWithoutBearerTokenIsUnauthorized() {
    Reply none = client("/v1/client/challenge/sms", null, null);
    Reply basic =
        call(
            "POST",
            "/v1/client/challenge/sms",
            null,
            Map.of(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(TENANT.getBytes(StandardCharsets.UTF_8))));

    assertClientError(none, 401, "unauthorized");
    assertClientError(basic, 401, "unauthorized");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void anExpiredTokenGetsExpiredToken() {
    TokenClaims claims = new TokenClaims(newUserId(), "signIn", "idem-1", "", TENANT);
    String expired =
        new TokenService(
                new TokenProperties(TestKeys.jwkSet(SIGNING_KEY), "t1", null, null, null),
                Clock.fixed(Instant.now().minus(1, ChronoUnit.HOURS), ZoneOffset.UTC),
                new SecureRandom(),
                new SimpleMeterRegistry())
            .issue(TokenKind.TRACK, claims);

    Reply reply = client("/v1/client/verify/sms", expired, "{\"verificationCode\":\"123456\"}");

    assertClientError(reply, 401, "expired_token");
  }

  static Stream<Arguments> untrustedTokens() {
    return Stream.of(
        Arguments.of(
            "signed by a foreign key under our kid",
            (Function<TokenClaims, String>)
                c -> service(TestKeys.p256("t1"), "t1", "signet").issue(TokenKind.TRACK, c)),
        Arguments.of(
            "unknown kid",
            (Function<TokenClaims, String>)
                c -> service(TestKeys.p256("other"), "other", "signet").issue(TokenKind.TRACK, c)),
        Arguments.of(
            "wrong audience",
            (Function<TokenClaims, String>)
                c -> service(SIGNING_KEY, "t1", "elsewhere").issue(TokenKind.TRACK, c)),
        Arguments.of("alg none", (Function<TokenClaims, String>) ClientSurfaceIT::algNone),
        Arguments.of(
            "another tenant",
            (Function<TokenClaims, String>)
                c ->
                    service(SIGNING_KEY, "t1", "signet")
                        .issue(
                            TokenKind.TRACK,
                            new TokenClaims(
                                c.userId(),
                                c.actionCode(),
                                c.idempotencyKey(),
                                c.scope(),
                                "other-tenant"))),
        Arguments.of("garbage", (Function<TokenClaims, String>) c -> "not-a-token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untrustedTokens")
  void anUntrustedTokenIsUnauthorized(String name, Function<TokenClaims, String> forge) {
    String userId = newUserId();
    String phone = newPhoneNumber();
    TokenClaims claims = new TokenClaims(userId, "signIn", "idem-1", "", TENANT);

    Reply reply =
        client(
            "/v1/client/user-authenticators/sms",
            forge.apply(claims),
            "{\"phoneNumber\":\"" + phone + "\"}");

    assertClientError(reply, 401, "unauthorized");
    assertThat(server("GET", "/v1/users/" + userId + "/authenticators", null).body()).isEmpty();
  }

  // --- error bodies of the surface ---

  @Test
  void everyFailureOfTheSurfaceHasTheClientErrorBody() {
    String token = actionToken(newUserId(), "signIn", "CHALLENGE_REQUIRED", "");
    Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

    assertClientError(client("/v1/client/nothing-here", token, null), 404, "not_found");
    assertClientError(
        call("GET", "/v1/client/challenge/sms", null, auth), 405, "method_not_allowed");
    assertClientError(
        call(
            "POST",
            "/v1/client/verify/sms",
            "verificationCode=123456",
            Map.of("Authorization", "Bearer " + token, "Content-Type", "text/plain")),
        415,
        "unsupported_media_type");
    assertClientError(
        client(
            "/v1/client/verify/sms",
            token,
            "{\"verificationCode\":\"" + "1".repeat(100_000) + "\"}"),
        413,
        "payload_too_large");
    assertClientError(
        client("/v1/client/verify/sms", token, "{\"verificationCode\":"), 400, "invalid_request");
    assertClientError(client("/v1/client/verify/sms", token, "[]"), 400, "invalid_request");
    assertClientError(client("/v1/client/verify/sms", token, "{}"), 400, "invalid_request");
    assertClientError(
        client("/v1/client/verify/sms", token, "{\"verificationCode\":123456}"),
        400,
        "invalid_request");
    assertClientError(
        client("/v1/client/verify/sms", token, "{\"verificationCode\":\"12ab56\"}"),
        400,
        "invalid_request");
    assertClientError(
        client("/v1/client/challenge/sms", token, "{\"smsChannel\":\"PIGEON\"}"),
        400,
        "invalid_request");
    assertClientError(
        client(
            "/v1/client/user-authenticators/sms", token, "{\"phoneNumber\":\"+1 900 555 0100\"}"),
        400,
        "invalid_request");
    assertClientError(
        client("/v1/client/user-authenticators/sms", token, "{\"phoneNumber\":{\"$ne\":1}}"),
        400,
        "invalid_request");
  }

  @Test
  void theServerApiWritesTheSameThreeFieldErrorBody() {
    Reply reply = call("POST", "/v1/verify", "{}", Map.of("Content-Type", "application/json"));

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.text("error")).isEqualTo("unauthorized");
    assertThat(reply.text("errorCode")).isEqualTo("unauthorized");
    assertThat(reply.text("errorDescription")).isEqualTo(ApiError.UNAUTHORIZED_DESCRIPTION);
  }

  @Test
  void theChallengeAcceptsTheEmptyBodyTheBrowserSdkSends() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");

    Reply jsonWithoutBody =
        call(
            "POST",
            "/v1/client/challenge/sms",
            null,
            Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));

    assertThat(jsonWithoutBody.status()).as(jsonWithoutBody.raw()).isEqualTo(200);
    assertThat(jsonWithoutBody.text("challengeId")).isNotBlank();
  }

  // --- CORS ---

  @Test
  void aConfiguredOriginGetsItsPreflightAnswered() {
    Reply preflight =
        call(
            "OPTIONS",
            "/v1/client/verify/sms",
            null,
            Map.of(
                "Origin", ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type"));

    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
    assertThat(preflight.header("Access-Control-Allow-Headers"))
        .containsIgnoringCase("Authorization")
        .containsIgnoringCase("Content-Type");
    assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
    assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(preflight.response().headers().allValues("Vary")).contains("Origin");
  }

  @Test
  void aPreflightIsAnsweredByTheChainWithoutAToken() {
    Reply preflight =
        call(
            "OPTIONS",
            "/v1/client/no-such-route",
            null,
            Map.of("Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "POST"));
    Reply otherMethod =
        call(
            "OPTIONS",
            "/v1/client/verify/sms",
            null,
            Map.of("Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "DELETE"));

    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    assertThat(otherMethod.status()).isEqualTo(403);
    assertThat(otherMethod.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void anOriginPatternMatchesAnyPortOfItsHost() {
    Reply preflight =
        call(
            "OPTIONS",
            "/v1/client/challenge/sms",
            null,
            Map.of("Origin", "http://localhost:43123", "Access-Control-Request-Method", "POST"));

    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:43123");
  }

  @Test
  void otherOriginsGetNoCorsHeaders() {
    for (String origin :
        new String[] {
          "https://evil.example", "https://app.example.test.evil.example", "http://app.example.test"
        }) {
      Reply preflight =
          call(
              "OPTIONS",
              "/v1/client/verify/sms",
              null,
              Map.of("Origin", origin, "Access-Control-Request-Method", "POST"));
      Reply actual = call("POST", "/v1/client/challenge/sms", null, Map.of("Origin", origin));

      assertThat(preflight.header("Access-Control-Allow-Origin")).as(origin).isNull();
      assertThat(preflight.header("Access-Control-Allow-Methods")).as(origin).isNull();
      assertThat(actual.header("Access-Control-Allow-Origin")).as(origin).isNull();
      assertThat(preflight.status()).as(origin).isEqualTo(204);
      assertThat(actual.response().headers().allValues("Vary")).as(origin).contains("Origin");
      assertClientError(actual, 401, "unauthorized");
    }
  }

  @Test
  void responsesAndErrorsToAConfiguredOriginCarryTheOrigin() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");

    Reply ok =
        call(
            "POST",
            "/v1/client/challenge/sms",
            "{}",
            Map.of(
                "Origin",
                ALLOWED_ORIGIN,
                "Authorization",
                "Bearer " + token,
                "Content-Type",
                "application/json"));
    Reply unauthorized =
        call("POST", "/v1/client/challenge/sms", null, Map.of("Origin", ALLOWED_ORIGIN));

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    assertThat(unauthorized.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    assertClientError(unauthorized, 401, "unauthorized");
  }

  @Test
  void theServerApiGetsNoCorsHeaders() {
    Reply reply =
        call(
            "OPTIONS",
            "/v1/challenge",
            null,
            Map.of("Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "POST"));

    assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    assertThat(reply.status()).isEqualTo(403);
  }

  private static TokenService service(ECKey key, String kid, String audience) {
    return new TokenService(
        new TokenProperties(TestKeys.jwkSet(key), kid, audience, Duration.ofMinutes(10), null),
        Clock.systemUTC(),
        new SecureRandom(),
        new SimpleMeterRegistry());
  }

  private static String algNone(TokenClaims claims) {
    String[] genuine =
        service(SIGNING_KEY, "t1", "signet").issue(TokenKind.TRACK, claims).split("\\.");
    return Base64URL.encode("{\"alg\":\"none\",\"kid\":\"t1\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + genuine[1]
        + ".";
  }
}
