package dev.signet.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Asynchronous JSON over HTTP/1.1 with the JDK client, and the API's error-body convention. */
final class Api implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final ExecutorService executor = Executors.newFixedThreadPool(4, Threads.daemon("http"));
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(executor)
          .build();
  private final Duration timeout;

  Api(Duration timeout) {
    this.timeout = timeout;
  }

  static String basic(String secret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((secret + ":").getBytes(StandardCharsets.UTF_8));
  }

  CompletableFuture<HttpResponse<String>> post(String url, String authorization, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> put(String url, String authorization, String body) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> send(String method, String url, String authorization) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> sendNow(String method, String url, String authorization) {
    try {
      return send(method, url, authorization).join();
    } catch (RuntimeException e) {
      throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
    } catch (RuntimeException e) {
      return JSON.createObjectNode();
    }
  }

  /**
   * Classifies a non-success answer: {@code error:<status>:<code>} when it carries the documented
   * {@code {"error","errorDescription"}} body, {@code undocumented:<status>} otherwise.
   */
  static String errorOutcome(HttpResponse<String> response) {
    JsonNode body = parse(response.body());
    String error = body.path("error").asText("");
    if (!error.isEmpty() && body.has("errorDescription")) {
      return "error:" + response.statusCode() + ":" + error;
    }
    return "undocumented:" + response.statusCode();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
