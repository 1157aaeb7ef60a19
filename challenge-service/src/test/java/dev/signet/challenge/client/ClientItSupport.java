package dev.signet.challenge.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.token.TestKeys;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.platform.seal.SealBinding;
import dev.signet.testsupport.EventLog;
import dev.signet.testsupport.ServiceHttp;
import dev.signet.testsupport.ServiceHttp.Reply;
import dev.signet.testsupport.TestStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the client API integration tests: challenge-service against an
 * in-memory MongoDB-wire server, spring-kafka-test's in-JVM KRaft broker and the in-test schema
 * registry. Codes are read the way sms-dispatcher reads them: from the published {@code
 * auth.challenge.requested.v1} event, unsealed with the shared AES-GCM key. The resend cooldown is
 * one second so resends can be exercised without waiting half a minute.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ClientItSupport {

  static final String API_SECRET = "client-it-secret";

  static final String MANAGEMENT_SECRET = "client-it-management-secret";
  static final String TENANT = "client-it-tenant";
  static final String ALLOWED_ORIGIN = "https://app.example.test";
  static final byte[] SEAL_KEY = randomBytes(32);
  static final com.nimbusds.jose.jwk.ECKey SIGNING_KEY = TestKeys.p256("t1");
  static final TestStack STACK = TestStack.start();
  private static volatile EventLog events;

  @LocalServerPort int port;
  @Autowired TokenService tokens;
  @Autowired ActionStore actionStore;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-challenge-client-it");
    registry.add("signet.challenge.api-secret", () -> API_SECRET);
    registry.add("signet.challenge.management-secret", () -> MANAGEMENT_SECRET);
    // The tests' numbers are in the drama range, accepted only when configured (opt in).
    registry.add("signet.challenge.fictional-number-prefixes", () -> "+4477009");
    registry.add("signet.challenge.tenant-id", () -> TENANT);
    registry.add(
        "signet.challenge.code-hmac-key",
        () -> Base64.getEncoder().encodeToString(randomBytes(32)));
    registry.add(
        "signet.challenge.seal-keys", () -> "k1:" + Base64.getEncoder().encodeToString(SEAL_KEY));
    registry.add("signet.challenge.seal-active-key-id", () -> "k1");
    registry.add("signet.challenge.limits.resend-cooldown", () -> "1s");
    registry.add("signet.challenge.token.signing-keys", () -> TestKeys.jwkSet(SIGNING_KEY));
    registry.add("signet.challenge.token.active-key-id", () -> "t1");
    registry.add(
        "signet.challenge.client.allowed-origins", () -> ALLOWED_ORIGIN + ", http://localhost:[*]");
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  /**
   * A number of the fictional 07700 900xxx range that the sandbox (and the tests) accept; the first
   * 1,000 numbers of a test run are all different (random draws collided, e.g. a user's second
   * number being its first).
   */
  static String newPhoneNumber() {
    return "+447700900" + String.format("%03d", NEXT_PHONE.getAndIncrement() % 1000);
  }

  private static final AtomicInteger NEXT_PHONE =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(1000));

  /** Records an action of {@code userId} in {@code state} and returns a token for it. */
  String actionToken(String userId, String actionCode, String state, String scope) {
    String idempotencyKey = UUID.randomUUID().toString();
    actionStore
        .recordClaimedChallenge(
            userId,
            actionCode,
            idempotencyKey,
            dev.signet.challenge.action.ActionState.valueOf(state),
            null)
        .block();
    return tokens.issue(
        TokenKind.TRACK, new TokenClaims(userId, actionCode, idempotencyKey, scope, TENANT));
  }

  /** Enrols a verified SMS authenticator through the server API and returns its id. */
  String enrolThroughServerApi(String userId, String phoneNumber) {
    Reply reply =
        server(
            "POST",
            "/v1/users/" + userId + "/authenticators",
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"" + phoneNumber + "\"}");
    if (reply.status() != 200) {
      throw new IllegalStateException("enrolment failed: " + reply.raw());
    }
    return reply.body().path("authenticator").path("userAuthenticatorId").asText();
  }

  /** A client API call with a bearer token (none when {@code token} is null). */
  Reply client(String path, String token, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return call("POST", path, body, headers);
  }

  /** A server API call with the API secret. */
  Reply server(String method, String path, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", ServiceHttp.basic(API_SECRET));
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return call(method, path, body, headers);
  }

  Reply call(String method, String path, String body, Map<String, String> headers) {
    return ServiceHttp.call(port, method, path, body, headers);
  }

  /**
   * The current state of the action {@code token} names, read with the server API's {@code GET}
   * (validate answers only for success tokens).
   */
  String stateOf(String token) {
    TokenClaims claims =
        ((dev.signet.challenge.token.TokenVerification.Valid) tokens.verify(token)).claims();
    return server(
            "GET",
            "/v1/users/"
                + claims.userId()
                + "/actions/"
                + claims.actionCode()
                + "/"
                + claims.idempotencyKey(),
            null)
        .text("state");
  }

  /** {@code POST /v1/validate} of the server API for {@code token}. */
  JsonNode validate(String token) {
    return server("POST", "/v1/validate", "{\"token\":\"" + token + "\"}").body();
  }

  /** The code of the latest send of {@code challengeId} once its event is published. */
  static String codeOf(String challengeId, int attempt) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                events()
                    .of(Topics.CHALLENGE_REQUESTED.name(), challengeId, ChallengeRequested.class)
                    .stream()
                    .filter(e -> e.getAttempt() == attempt)
                    .map(e -> unseal(bindingOf(e), e.getSealedCode()))
                    .findFirst()
                    .orElse(null),
            code -> code != null);
  }

  /** What challenge-service must have sealed the event's code to: the event's own fields. */
  private static SealBinding bindingOf(ChallengeRequested e) {
    assertThat(e.getSealVersion()).isEqualTo(SealBinding.VERSION);
    return new SealBinding(
        e.getChallengeId(),
        e.getAttempt(),
        e.getPhoneNumber(),
        e.getChannel().name(),
        e.getExpiresAt());
  }

  private static String unseal(SealBinding binding, ByteBuffer sealed) {
    byte[] bytes = new byte[sealed.remaining()];
    sealed.duplicate().get(bytes);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(SEAL_KEY, "AES"),
          new GCMParameterSpec(128, bytes, 0, 12));
      cipher.updateAAD(binding.associatedData());
      return new String(
          cipher.doFinal(Arrays.copyOfRange(bytes, 12, bytes.length)), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A code that is not {@code code}, of the same length. */
  static String wrong(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  /** A background reader of the topics the client API writes to. */
  static EventLog events() {
    if (events == null) {
      synchronized (ClientItSupport.class) {
        if (events == null) {
          events =
              STACK.eventLog(
                  "client-it",
                  List.of(
                      Topics.CHALLENGE_REQUESTED.name(),
                      Topics.CHALLENGE_VERIFICATION_FAILED.name(),
                      Topics.CHALLENGE_SEND_REFUSED.name(),
                      Topics.ACTION_STATE_CHANGED.name(),
                      Topics.AUTHENTICATOR_ENROLLED.name(),
                      Topics.AUTHENTICATOR_UPDATED.name()));
        }
      }
    }
    return events;
  }
}
