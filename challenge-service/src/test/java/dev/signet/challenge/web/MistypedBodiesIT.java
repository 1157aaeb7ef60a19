package dev.signet.challenge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenContextSupport;
import dev.signet.challenge.token.TokenKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every route's body, attacked member by member: a number, a float, a boolean, an array or an
 * object where a string goes (and the like for booleans, objects and arrays) is a 400 {@code
 * invalid_request} naming the member with its documented text, byte for byte, before anything is
 * read or written; a null is an absent member; a 1 MB body is a 413; a duplicated key is malformed
 * JSON.
 */
class MistypedBodiesIT extends TokenContextSupport {

  private static final String API = "api";
  private static final String MANAGEMENT = "management";
  private static final String CLIENT = "client";

  private static final List<String> NOT_STRINGS =
      List.of("1", "4.47700900123E11", "true", "[\"x\"]", "{\"$ne\":null}");
  private static final List<String> NOT_BOOLEANS =
      List.of("\"true\"", "1", "[true]", "{\"a\":true}");
  private static final List<String> NOT_OBJECTS = List.of("\"x\"", "1", "true", "[1]");
  private static final List<String> NOT_STRING_ARRAYS = List.of("\"x\"", "{}", "[1]", "[[\"a\"]]");

  private static final String STATE_ONE_OF =
      "state must be one of [ALLOW, BLOCK, CHALLENGE_REQUIRED, CHALLENGE_SUCCEEDED,"
          + " CHALLENGE_FAILED, REVIEW_REQUIRED, REVIEW_SUCCEEDED, REVIEW_FAILED].";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired ChallengeProperties properties;

  private String clientToken;

  /** A route, who may call it and the documented text for each member of the wrong type. */
  record Route(String method, String path, String credential, List<Member> members) {}

  record Member(String name, List<String> wrongValues, String description) {}

  private static Member text(String name) {
    return new Member(name, NOT_STRINGS, name + " must be a string.");
  }

  private static Member text(String name, String description) {
    return new Member(name, NOT_STRINGS, description);
  }

  static List<Route> routes() {
    return List.of(
        new Route(
            "POST",
            "/v1/challenge",
            API,
            List.of(
                text("verificationMethod"),
                text("action"),
                text("phoneNumber"),
                text("smsChannel"),
                text("challengeId"),
                text("idempotencyKey"),
                text("userId"),
                text("scope"),
                text("locale"),
                text("ipAddress"),
                text("userAgent"),
                text("deviceId"),
                new Member("custom", NOT_OBJECTS, "custom must be an object."))),
        new Route(
            "POST", "/v1/verify", API, List.of(text("challengeId"), text("verificationCode"))),
        new Route(
            "POST",
            "/v1/claim",
            API,
            List.of(
                text("challengeId"),
                text("userId"),
                new Member(
                    "skipVerificationCheck",
                    NOT_BOOLEANS,
                    "skipVerificationCheck must be a boolean."))),
        new Route("POST", "/v1/challenges", API, List.of(text("challengeId"))),
        new Route(
            "POST", "/v1/validate", API, List.of(text("token"), text("userId"), text("action"))),
        new Route(
            "POST", "/v1/sessions", API, List.of(text("token"), text("clientId"), text("action"))),
        new Route(
            "POST",
            "/v1/sessions/validate",
            API,
            List.of(
                text("accessToken"),
                new Member(
                    "clientIds", NOT_STRING_ARRAYS, "clientIds must be an array of strings."))),
        new Route("POST", "/v1/sessions/refresh", API, List.of(text("refreshToken"))),
        new Route("POST", "/v1/sessions/revoke", API, List.of(text("accessToken"))),
        new Route("POST", "/v1/sessions/user/revoke", API, List.of(text("userId"))),
        new Route(
            "POST",
            "/v1/users/u1/actions/signIn",
            API,
            List.of(
                text("idempotencyKey"),
                text("ipAddress"),
                text("userAgent"),
                text("deviceId"),
                text("scope"),
                text("locale"),
                text("redirectUrl"),
                text("email", "email must be a string or null."),
                text("phoneNumber", "phoneNumber must be a string or null."),
                text("username", "username must be a string or null."),
                new Member(
                    "custom", NOT_OBJECTS, "custom must be a JSON object of primitive values."))),
        new Route(
            "PATCH", "/v1/users/u1/actions/signIn/k1", API, List.of(text("state", STATE_ONE_OF))),
        new Route(
            "POST",
            "/v1/users/u1/authenticators",
            API,
            List.of(
                text("verificationMethod", "verificationMethod must be SMS."),
                text("phoneNumber", "phoneNumber must be a string in E.164 format."),
                new Member("isDefault", NOT_BOOLEANS, "isDefault must be true or false."))),
        new Route(
            "POST",
            "/v1/management/verification-locks/reset",
            MANAGEMENT,
            List.of(text("phoneNumber"), text("userId"), text("operator"), text("reason"))),
        new Route("POST", "/v1/client/challenge/sms", CLIENT, List.of(text("smsChannel"))),
        new Route(
            "POST",
            "/v1/client/user-authenticators/sms",
            CLIENT,
            List.of(text("phoneNumber"), text("smsChannel"))),
        new Route("POST", "/v1/client/verify/sms", CLIENT, List.of(text("verificationCode"))),
        new Route("POST", "/v1/client/verify/whatsapp", CLIENT, List.of(text("verificationCode"))));
  }

  static Stream<Arguments> mistypedMembers() {
    List<Arguments> cases = new ArrayList<>();
    for (Route route : routes()) {
      for (Member member : route.members()) {
        for (String value : member.wrongValues()) {
          cases.add(
              Arguments.of(
                  route.method() + " " + route.path() + " " + member.name() + "=" + value,
                  route,
                  "{\"" + member.name() + "\":" + value + "}",
                  member.description()));
        }
      }
    }
    return cases.stream();
  }

  @BeforeEach
  void clientToken() {
    clientToken =
        tokens.issue(
            TokenKind.TRACK,
            new TokenClaims("u-typed", "signIn", "k-typed", "", properties.tenantId()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistypedMembers")
  void aMemberOfTheWrongTypeIsRefusedWithItsDocumentedText(
      String name, Route route, String body, String description) {
    HttpResponse<String> response = send(route, body);

    assertThat(response.statusCode()).as(name).isEqualTo(400);
    assertThat(response.body()).as(name).isEqualTo(invalid(description));
  }

  static Stream<Arguments> nullMembers() {
    return Stream.of(
        Arguments.of(
            "/v1/challenge", "{\"verificationMethod\":null}", "verificationMethod is required."),
        Arguments.of(
            "/v1/verify",
            "{\"challengeId\":null,\"verificationCode\":null}",
            "challengeId is required."),
        Arguments.of(
            "/v1/verify",
            "{\"challengeId\":\"c1\",\"verificationCode\":null}",
            "verificationCode is required."),
        Arguments.of("/v1/claim", "{\"challengeId\":null}", "challengeId is required."),
        Arguments.of("/v1/challenges", "{\"challengeId\":null}", "challengeId is required."),
        Arguments.of("/v1/validate", "{\"token\":null,\"userId\":null}", "token is required."),
        Arguments.of("/v1/sessions", "{\"token\":null}", "token is required."),
        Arguments.of(
            "/v1/sessions/validate",
            "{\"accessToken\":\"a.b.c\",\"clientIds\":[null]}",
            "clientIds must be an array of strings."),
        Arguments.of(
            "/v1/sessions/refresh", "{\"refreshToken\":null}", "refreshToken is required."),
        Arguments.of("/v1/sessions/revoke", "{\"accessToken\":null}", "accessToken is required."),
        Arguments.of("/v1/sessions/user/revoke", "{\"userId\":null}", "userId is required."),
        Arguments.of(
            "/v1/users/u1/authenticators",
            "{\"verificationMethod\":null}",
            "verificationMethod must be SMS."),
        Arguments.of(
            "/v1/users/u1/authenticators",
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":null}",
            "phoneNumber must be a string in E.164 format."));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("nullMembers")
  void aNullMemberIsAnAbsentOne(String path, String body, String description) {
    HttpResponse<String> response = send(new Route("POST", path, API, List.of()), body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(invalid(description));
  }

  @Test
  void aNullStateIsNoStateChange() {
    HttpResponse<String> response =
        send(
            new Route("PATCH", "/v1/users/u1/actions/signIn/k1", API, List.of()),
            "{\"state\":null}");

    assertThat(response.body()).isEqualTo(invalid(STATE_ONE_OF));
  }

  @Test
  void aNullOperatorIsAMissingOne() {
    HttpResponse<String> response =
        send(
            new Route("POST", "/v1/management/verification-locks/reset", MANAGEMENT, List.of()),
            "{\"operator\":null,\"userId\":\"u1\"}");

    assertThat(response.body()).isEqualTo(invalid("operator is required."));
  }

  @Test
  void aNullCodeOnTheClientApiIsAMissingOne() {
    HttpResponse<String> response =
        send(
            new Route("POST", "/v1/client/verify/sms", CLIENT, List.of()),
            "{\"verificationCode\":null}");

    assertThat(response.body()).isEqualTo(invalid("verificationCode is required."));
  }

  @Test
  void aBodyOfOneMegabyteIsTooLargeOnEveryRoute() {
    String member = "\"" + "4".repeat(1024 * 1024) + "\"";
    for (Route route : routes()) {
      String body = "{\"" + route.members().get(0).name() + "\":" + member + "}";

      HttpResponse<String> response = send(route, body);

      assertThat(response.statusCode()).as(route.path()).isEqualTo(413);
      assertThat(response.body())
          .as(route.path())
          .isEqualTo(
              "{\"error\":\"payload_too_large\",\"errorCode\":\"payload_too_large\","
                  + "\"errorDescription\":\"The request body is too large.\"}");
    }
  }

  @Test
  void aDuplicatedKeyIsMalformedJsonOnEveryRoute() {
    for (Route route : routes()) {
      String name = route.members().get(0).name();
      String body = "{\"" + name + "\":\"a\",\"" + name + "\":\"b\"}";

      HttpResponse<String> response = send(route, body);

      assertThat(response.statusCode()).as(route.path()).isEqualTo(400);
      assertThat(response.body())
          .as(route.path())
          .isEqualTo(invalid("The request body is not valid JSON for this endpoint."));
    }
  }

  @Test
  void withTwoMistypedMembersTheFirstInTheBodyIsNamed() {
    Route validate = new Route("POST", "/v1/validate", API, List.of());

    assertThat(send(validate, "{\"userId\":7,\"token\":12345}").body())
        .isEqualTo(invalid("userId must be a string."));
    assertThat(send(validate, "{\"token\":12345,\"userId\":7}").body())
        .isEqualTo(invalid("token must be a string."));
  }

  private static String invalid(String description) {
    return "{\"error\":\"invalid_request\",\"errorCode\":\"invalid_request\","
        + "\"errorDescription\":\""
        + description
        + "\"}";
  }

  private HttpResponse<String> send(Route route, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
            .method(route.method(), HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", authorization(route.credential()))
            .timeout(Duration.ofSeconds(15));
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String authorization(String credential) {
    return switch (credential) {
      case API ->
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((API_SECRET + ":").getBytes(StandardCharsets.UTF_8));
      case MANAGEMENT -> "Bearer " + MANAGEMENT_SECRET;
      default -> "Bearer " + clientToken;
    };
  }
}
