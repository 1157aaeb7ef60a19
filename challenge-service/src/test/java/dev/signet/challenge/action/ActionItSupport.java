package dev.signet.challenge.action;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the action integration tests: challenge-service against an in-memory
 * MongoDB-wire server, spring-kafka-test's in-JVM KRaft broker and the in-test schema registry,
 * started once per JVM. {@link RulesResponder} answers tracked actions on the real broker the way
 * rules-service does (its contract, not its code: services share none).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ActionItSupport {

  static final String API_SECRET = "action-it-secret";

  static final String MANAGEMENT_SECRET = "action-it-management-secret";
  static final ObjectMapper JSON = new ObjectMapper();
  static final TestStack STACK = TestStack.start(3, Topics.ACTION_DECIDED.name());
  static final EmbeddedKafkaKraftBroker KAFKA = STACK.kafka();
  static final InTestRegistry REGISTRY = STACK.registry();
  static final RulesResponder RULES =
      new RulesResponder(KAFKA.getBrokersAsString(), REGISTRY.url());
  private static volatile EventLog events;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-challenge-action-it");
    registry.add("signet.challenge.api-secret", () -> API_SECRET);
    registry.add("signet.challenge.management-secret", () -> MANAGEMENT_SECRET);
    // The tests' numbers are in the drama range, accepted only when configured (opt in).
    registry.add("signet.challenge.fictional-number-prefixes", () -> "+4477009");
    registry.add("signet.challenge.code-hmac-key", ActionItSupport::randomKey);
    registry.add("signet.challenge.seal-keys", () -> "k1:" + randomKey());
    registry.add("signet.challenge.seal-active-key-id", () -> "k1");
    registry.add("signet.challenge.token.signing-keys", () -> TestKeys.jwkSet(TestKeys.p256("t1")));
    registry.add("signet.challenge.token.active-key-id", () -> "t1");
    registry.add("signet.challenge.actions.decision-timeout", () -> "1500ms");
    registry.add("signet.challenge.actions.fallbacks.payout.enrolled", () -> "BLOCK");
    registry.add("signet.challenge.ui.frame-origins", () -> "https://app.example.com");
    registry.add("signet.challenge.ui.redirect-origins", () -> "https://app.example.com");
    registry.add("signet.challenge.ui.branding.app-name", () -> "Acme <Bank> & Co");
    registry.add("signet.challenge.ui.branding.primary-color", () -> "#0B5D1E");
    registry.add("signet.challenge.ui.branding.logo-file", ActionItSupport::logoFile);
  }

  /** A logo for the hosted page's branding, written once per JVM. */
  static String logoFile() {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("signet-logo", ".svg");
      file.toFile().deleteOnExit();
      java.nio.file.Files.writeString(
          file, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>");
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static String newUserId() {
    return "u-" + UUID.randomUUID();
  }

  Reply call(String method, String rawPath, String body) {
    return call(method, rawPath, body, Map.of());
  }

  Reply call(String method, String rawPath, String body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Authorization", ServiceHttp.basic(API_SECRET));
    all.putAll(headers);
    if (body != null) {
      all.put("Content-Type", "application/json");
    }
    return ServiceHttp.call(port, method, rawPath, body, all);
  }

  static String json(Map<String, ?> body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every action event published since the first test asked for them. */
  static EventLog events() {
    if (events == null) {
      synchronized (ActionItSupport.class) {
        if (events == null) {
          events =
              STACK.eventLog(
                  "action-it",
                  List.of(Topics.ACTION_TRACKED.name(), Topics.ACTION_STATE_CHANGED.name()));
        }
      }
    }
    return events;
  }
}
