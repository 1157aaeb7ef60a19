package dev.signet.e2e.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile and malformed input against the running stack, one row of {@link BadInputCases#all()} per
 * test. Every row must answer within the per-request timeout with the expected status, a JSON body
 * (never HTML, never empty) and, for failures, exactly the documented {@code
 * {"error","errorCode","errorDescription"}} body — never a 500. Rows that are accepted state what
 * they must (e.g. a normalised number must receive the SMS in E.164).
 */
class BadInputIT {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static RunningStack stack;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Http http = new Http();

  @BeforeAll
  static void startStack() {
    stack = RunningStack.get();
  }

  static Stream<BadInputCase> cases() {
    return BadInputCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithTheDocumentedBody(BadInputCase row) throws Exception {
    Fixture fixture = new Fixture(stack, http);
    HttpRequest request = row.request(stack, fixture, REQUEST_TIMEOUT);

    HttpResponse<String> response;
    long started = System.nanoTime();
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      fail("%s: no answer within %s", row, REQUEST_TIMEOUT);
      return;
    } catch (IOException e) {
      fail("%s: the connection failed instead of an error body: %s", row, e);
      return;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    String body = response.body();
    assertThat(response.statusCode()).as("%s status; body %s", row, body).isNotEqualTo(500);
    assertThat(response.statusCode()).as("%s status; body %s", row, body).isEqualTo(row.status());
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .as("%s content type", row)
        .startsWith("application/json");
    assertThat(body).as("%s body", row).isNotBlank().doesNotContainIgnoringCase("<html");
    JsonNode json = JSON.readTree(body);
    assertThat(json.isObject()).as("%s body is a JSON object: %s", row, body).isTrue();

    if (row.error() != null) {
      assertThat(json.propertyNames())
          .as("%s error body fields: %s", row, body)
          .containsExactlyInAnyOrder("error", "errorCode", "errorDescription");
      assertThat(json.path("error").asText()).as("%s error: %s", row, body).isEqualTo(row.error());
      assertThat(json.path("errorCode").asText())
          .as("%s errorCode: %s", row, body)
          .isEqualTo(row.error());
      assertThat(json.path("errorDescription").isString()).as("%s description", row).isTrue();
      assertThat(json.path("errorDescription").asText())
          .as("%s description", row)
          .isNotBlank()
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("dev.signet");
      if (row.status() == 429) {
        assertThat(response.headers().firstValue("Retry-After"))
            .as("%s Retry-After", row)
            .isPresent();
      }
    }
    row.fields()
        .forEach(
            (pointer, expected) -> {
              if (BadInputCase.PRESENT.equals(expected)) {
                assertThat(json.at(pointer).asText())
                    .as("%s %s in %s", row, pointer, body)
                    .isNotBlank();
              } else {
                assertThat(json.at(pointer).asText())
                    .as("%s %s in %s", row, pointer, body)
                    .isEqualTo(expected);
              }
            });
    if (row.smsToFixturePhone()) {
      String inbox =
          stack.url("sandbox")
              + "/inbox?to="
              + URLEncoder.encode(fixture.phone(), StandardCharsets.UTF_8);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(http.get(inbox, null).body().path("messages").size())
                      .as("%s: the SMS reaches the normalised number", row)
                      .isEqualTo(1));
    }
    assertThat(took).as("%s answered in time", row).isLessThan(REQUEST_TIMEOUT);
  }

  /**
   * Per-row values the table refers to: a fresh phone number (so limits and inboxes never overlap
   * between rows) and, on demand, a fresh challenge sent to another fresh number.
   */
  /** A number no other row or test uses, so no two rows share an inbox or a per-phone limit. */
  static String freshPhone() {
    return Sandbox.freshPhoneNumber();
  }

  static final class Fixture {
    private final RunningStack stack;
    private final Http http;
    private final String phone = freshPhone();
    private final String userId = "bad-input-" + java.util.UUID.randomUUID();
    private String challengeId;
    private String claimedChallengeId;
    private String token;

    Fixture(RunningStack stack, Http http) {
      this.stack = stack;
      this.http = http;
    }

    /** A fresh number in Ofcom's fictional 07700 9xxxxx range, E.164. */
    String phone() {
      return phone;
    }

    /** The id of a fresh, pending SMS challenge for another fresh number. */
    String challengeId() {
      if (challengeId == null) {
        String other = freshPhone();
        Http.Reply reply =
            http.post(
                stack.url("challenge") + "/v1/challenge",
                Http.basic(stack.apiSecret()),
                "{\"verificationMethod\":\"SMS\",\"action\":\"badInput\",\"phoneNumber\":\""
                    + other
                    + "\"}");
        assertThat(reply.status()).as("fixture challenge: %s", reply.raw().body()).isEqualTo(200);
        challengeId = reply.body().path("challengeId").asText();
      }
      return challengeId;
    }

    /** A fresh user id, the one {@link #token()} is claimed for. */
    String userId() {
      return userId;
    }

    /**
     * A genuine token: a challenge to a fresh number, its code read from the sandbox, verified and
     * claimed for {@link #userId()}.
     */
    String token() {
      if (token == null) {
        String other = freshPhone();
        String auth = Http.basic(stack.apiSecret());
        String api = stack.url("challenge") + "/v1";
        Http.Reply challenge =
            http.post(
                api + "/challenge",
                auth,
                "{\"verificationMethod\":\"SMS\",\"action\":\"badInput\",\"phoneNumber\":\""
                    + other
                    + "\"}");
        assertThat(challenge.status()).as("fixture challenge").isEqualTo(200);
        String id = challenge.body().path("challengeId").asText();
        String inbox =
            stack.url("sandbox") + "/inbox?to=" + URLEncoder.encode(other, StandardCharsets.UTF_8);
        String text =
            await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                    () ->
                        http.get(inbox, null).body().path("messages").path(0).path("text").asText(),
                    t -> !t.isEmpty());
        java.util.regex.Matcher code =
            java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(text);
        assertThat(code.find()).as("a code in the fixture SMS").isTrue();
        Http.Reply verify =
            http.post(
                api + "/verify",
                auth,
                "{\"challengeId\":\"" + id + "\",\"verificationCode\":\"" + code.group(1) + "\"}");
        assertThat(verify.body().path("isVerified").asBoolean()).as("fixture verify").isTrue();
        Http.Reply claim =
            http.post(
                api + "/claim",
                auth,
                "{\"challengeId\":\"" + id + "\",\"userId\":\"" + userId + "\"}");
        assertThat(claim.status()).as("fixture claim: %s", claim.raw().body()).isEqualTo(200);
        claimedChallengeId = id;
        token = claim.body().path("token").asText();
      }
      return token;
    }

    /** The challenge {@link #token()} claimed. */
    String claimedChallengeId() {
      token();
      return claimedChallengeId;
    }

    /** The server's current public signing key (first key of its JWKS). */
    JsonNode jwk() {
      Http.Reply jwks = http.get(stack.url("challenge") + "/.well-known/jwks.json", null);
      assertThat(jwks.status()).as("JWKS").isEqualTo(200);
      return jwks.body().path("keys").path(0);
    }

    /**
     * The active private signing key of the stack under test, from the {@code
     * SIGNET_TOKEN_SIGNING_KEYS} the local stack generated into its secrets file (base64 of a JWK
     * set).
     */
    JsonNode signingKey() {
      java.nio.file.Path file = stack.dataDir().resolve("secrets.properties");
      java.util.Properties secrets = new java.util.Properties();
      try (var in = java.nio.file.Files.newBufferedReader(file)) {
        secrets.load(in);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      String keys = secrets.getProperty("SIGNET_TOKEN_SIGNING_KEYS", "");
      assertThat(keys).as("SIGNET_TOKEN_SIGNING_KEYS in %s", file).isNotBlank();
      String active = secrets.getProperty("SIGNET_TOKEN_ACTIVE_KEY_ID", "");
      String json =
          keys.trim().startsWith("{")
              ? keys
              : new String(
                  java.util.Base64.getMimeDecoder()
                      .decode(keys.replace('-', '+').replace('_', '/')),
                  StandardCharsets.UTF_8);
      for (JsonNode key : JSON.readTree(json).path("keys")) {
        if (active.isEmpty() || active.equals(key.path("kid").asText())) {
          return key;
        }
      }
      throw new AssertionError("no signing key " + active + " in " + file);
    }

    /**
     * {@link #phone()} after it has used up its sends: six challenges to it, the per-number limit
     * for ten minutes.
     */
    String exhaustedPhone() {
      for (int i = 0; i < 6; i++) {
        Http.Reply reply =
            http.post(
                stack.url("challenge") + "/v1/challenge",
                Http.basic(stack.apiSecret()),
                "{\"verificationMethod\":\"SMS\",\"action\":\"badInput\",\"phoneNumber\":\""
                    + phone
                    + "\"}");
        assertThat(reply.status()).as("send %s: %s", i + 1, reply.raw().body()).isEqualTo(200);
      }
      return phone;
    }

    /** Replaces the {@code ${...}} placeholders of {@link BadInputCase} in a template. */
    String expand(String template) {
      String out = template;
      if (out.contains("${phone:exhausted}")) {
        out = out.replace("${phone:exhausted}", exhaustedPhone());
      }
      if (out.contains("${phone}")) {
        out = out.replace("${phone}", phone());
      }
      if (out.contains("${challengeId}")) {
        out = out.replace("${challengeId}", challengeId());
      }
      if (out.contains("${userId}")) {
        out = out.replace("${userId}", userId());
      }
      if (out.contains("${claimedChallengeId}")) {
        out = out.replace("${claimedChallengeId}", claimedChallengeId());
      }
      if (out.contains("${token}")) {
        out = out.replace("${token}", token());
      }
      java.util.regex.Matcher forged =
          java.util.regex.Pattern.compile("\\$\\{token:(\\w+)}").matcher(out);
      if (forged.find()) {
        out =
            forged.replaceAll(
                m ->
                    java.util.regex.Matcher.quoteReplacement(
                        ForgedTokens.forge(m.group(1), token(), jwk(), this::signingKey)));
      }
      return out;
    }

    URI uri(String path) {
      return URI.create(stack.url("challenge") + expand(path));
    }
  }
}
