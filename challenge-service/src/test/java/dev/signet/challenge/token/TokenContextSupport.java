package dev.signet.challenge.token;

import com.nimbusds.jose.jwk.ECKey;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context of the token and validate integration tests: challenge-service with a
 * fixed signing key against an in-memory MongoDB-wire server. No broker: these endpoints publish
 * nothing, the Kafka producer connects lazily and topic creation at start-up is switched off.
 * Subclasses share the cached context because they add no configuration of their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class TokenContextSupport {

  protected static final String API_SECRET = "token-it-secret";

  protected static final String MANAGEMENT_SECRET = "token-it-management-secret";
  protected static final ECKey SIGNING_KEY = TestKeys.p256("t1");
  protected static final JsonMapper JSON = JsonMapper.builder().build();
  private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
  private static final InetSocketAddress MONGO_ADDRESS = MONGO.bind();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort protected int port;

  @Autowired protected TokenService tokens;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.mongodb.uri",
        () -> "mongodb://127.0.0.1:" + MONGO_ADDRESS.getPort() + "/signet-challenge-token-it");
    registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:9");
    registry.add("spring.kafka.admin.auto-create", () -> "false");
    registry.add("spring.kafka.properties.schema.registry.url", () -> "http://127.0.0.1:9");
    registry.add("signet.challenge.api-secret", () -> API_SECRET);
    registry.add("signet.challenge.management-secret", () -> MANAGEMENT_SECRET);
    registry.add("signet.challenge.code-hmac-key", TokenContextSupport::randomKey);
    registry.add("signet.challenge.seal-keys", () -> "k1:" + randomKey());
    registry.add("signet.challenge.seal-active-key-id", () -> "k1");
    registry.add("signet.challenge.token.signing-keys", () -> TestKeys.jwkSet(SIGNING_KEY));
    registry.add("signet.challenge.token.active-key-id", () -> "t1");
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** A response: status, headers and the body parsed as JSON (null when it is not JSON). */
  protected record Reply(int status, JsonNode body, HttpResponse<String> response) {}

  protected Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  protected Reply post(String path, String body, String contentType, boolean authorized) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorized) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((API_SECRET + ":").getBytes(StandardCharsets.UTF_8)));
    }
    return send(request);
  }

  /** A {@code DELETE} with the API secret. */
  protected Reply delete(String path) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .DELETE()
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((API_SECRET + ":").getBytes(StandardCharsets.UTF_8))));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(15)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (RuntimeException e) {
        json = null;
      }
      return new Reply(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
