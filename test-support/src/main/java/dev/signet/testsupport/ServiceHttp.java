package dev.signet.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP client of the services' integration tests: one request to the service under test on its
 * loopback port, answered as a {@link Reply} whose JSON body is already parsed. A request that gets
 * no answer in 15 seconds fails the test rather than hanging it.
 */
public final class ServiceHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private ServiceHttp() {}

  /**
   * A response: its status, its body parsed as JSON (an empty object when it is not JSON), the body
   * as text and the response itself (for its headers).
   */
  public record Reply(int status, JsonNode body, String raw, HttpResponse<String> response) {

    /** A top-level text field of the body, or null when absent or JSON null. */
    public String text(String field) {
      JsonNode node = body.get(field);
      return node == null || node.isNull() ? null : node.asText();
    }

    /** The first value of a response header, or null. */
    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  /** The {@code Authorization} value of a shared secret sent as HTTP Basic user, no password. */
  public static String basic(String secret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((secret + ":").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code method path} on {@code 127.0.0.1:port} with an {@code Authorization} header (none when
   * null) and, when there is a body, {@code contentType} (none when null).
   */
  public static Reply call(
      int port, String method, String path, String authorization, String contentType, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (body != null && contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return call(port, method, path, body, headers);
  }

  /** {@code method path} on {@code 127.0.0.1:port} with these headers and body (none when null). */
  public static Reply call(
      int port, String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(REQUEST_TIMEOUT);
    headers.forEach(request::header);
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), parse(response.body()), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      return json == null ? JSON.createObjectNode() : json;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
