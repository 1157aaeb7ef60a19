package dev.signet.challenge.user;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.challenge.token.TestKeys;
import dev.signet.events.Topics;
import dev.signet.events.serde.InTestRegistry;
import dev.signet.testsupport.EventLog;
import dev.signet.testsupport.ServiceHttp;
import dev.signet.testsupport.ServiceHttp.Reply;
import dev.signet.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the user integration tests: challenge-service against an in-memory
 * MongoDB-wire server, spring-kafka-test's in-JVM KRaft broker and a small in-test schema registry,
 * all started once per JVM. Subclasses (also in other packages of the service) share the cached
 * context because they add no configuration of their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(IndexesAtStart.class)
public abstract class UserItSupport {

  public static final String API_SECRET = "user-it-secret";

  public static final String MANAGEMENT_SECRET = "user-it-management-secret";
  public static final ObjectMapper JSON = new ObjectMapper();
  static final TestStack STACK = TestStack.start();
  static final EmbeddedKafkaKraftBroker KAFKA = STACK.kafka();
  static final InTestRegistry REGISTRY = STACK.registry();
  private static volatile EventLog events;

  @LocalServerPort protected int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-challenge-user-it");
    registry.add("signet.challenge.api-secret", () -> API_SECRET);
    registry.add("signet.challenge.management-secret", () -> MANAGEMENT_SECRET);
    // The tests' numbers are in the drama range, accepted only when configured (opt in).
    registry.add("signet.challenge.fictional-number-prefixes", () -> "+4477009");
    registry.add("signet.challenge.code-hmac-key", () -> randomKey());
    registry.add("signet.challenge.seal-keys", () -> "k1:" + randomKey());
    registry.add("signet.challenge.seal-active-key-id", () -> "k1");
    registry.add("signet.challenge.token.signing-keys", () -> TestKeys.jwkSet(TestKeys.p256("t1")));
    registry.add("signet.challenge.token.active-key-id", () -> "t1");
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  public Reply call(String method, String rawPath, String body) {
    return call(method, rawPath, body, "application/json");
  }

  public Reply call(String method, String rawPath, String body, String contentType) {
    return ServiceHttp.call(
        port, method, rawPath, ServiceHttp.basic(API_SECRET), contentType, body);
  }

  public static String json(Map<String, ?> body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every user and authenticator event published since the first test asked for them. */
  protected static EventLog events() {
    if (events == null) {
      synchronized (UserItSupport.class) {
        if (events == null) {
          events =
              STACK.eventLog(
                  "user-it",
                  List.of(
                      Topics.USER_UPDATED.name(),
                      Topics.USER_DELETED.name(),
                      Topics.CHALLENGE_SEND_REFUSED.name(),
                      Topics.AUTHENTICATOR_ENROLLED.name(),
                      Topics.AUTHENTICATOR_UPDATED.name(),
                      Topics.AUTHENTICATOR_REMOVED.name()));
        }
      }
    }
    return events;
  }
}
