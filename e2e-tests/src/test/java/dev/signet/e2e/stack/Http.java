package dev.signet.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON-over-HTTP client for the tests, with the server API's Basic auth. */
public final class Http {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response with its status and parsed JSON body (a missing node when the body is empty). */
  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  public static String basic(String apiSecret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((apiSecret + ":").getBytes(StandardCharsets.UTF_8));
  }

  public Reply get(String url, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    return send(request, authorization);
  }

  /** A plain-text GET, e.g. Prometheus metrics; the body is in {@code raw()}. */
  public Reply getText(String url, String authorization) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(20))
              .header("Accept", "text/plain")
              .GET();
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), JSON.missingNode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply post(String url, String authorization, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    return send(request, authorization);
  }

  /** A JSON POST with these headers instead of an Authorization (a session cookie, say). */
  public Reply postWithHeaders(String url, Map<String, String> headers, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request, null);
  }

  /** A GET with these headers instead of an Authorization. */
  public Reply getWithHeaders(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(request::header);
    return send(request, null);
  }

  public Reply patch(String url, String authorization, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
    return send(request, authorization);
  }

  public Reply delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), null);
  }

  public Reply delete(String url, String authorization) {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), authorization);
  }

  private Reply send(HttpRequest.Builder request, String authorization) {
    request.timeout(Duration.ofSeconds(20)).header("Accept", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body =
          response.body() == null || response.body().isBlank()
              ? JSON.missingNode()
              : JSON.readTree(response.body());
      return new Reply(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
