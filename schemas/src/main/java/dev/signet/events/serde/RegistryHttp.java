package dev.signet.events.serde;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * One registry request over HTTP: retried with bounded, jittered exponential back-off only when a
 * retry can help (408, 429, 5xx and I/O errors; a {@code Retry-After} is honoured), rotating
 * through the configured URLs and remembering the one that answered; any other status fails at once
 * with the registry's {@code error_code} and {@code message}. Also reads the answers' fields.
 */
final class RegistryHttp {

  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json,"
          + " application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private final List<URI> urls;
  private final SchemaRegistryClient.Options options;
  private final HttpClient http;
  private final String authorization;
  private final AtomicLong requests = new AtomicLong();
  private volatile int preferredUrl;

  RegistryHttp(List<URI> urls, SchemaRegistryClient.Options options) {
    this.urls = urls;
    this.options = options;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(options.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String userInfo = options.basicAuthUserInfo();
    if (userInfo == null) {
      userInfo = urls.get(0).getUserInfo();
    }
    this.authorization =
        userInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  long requestCount() {
    return requests.get();
  }

  JsonNode send(String method, String path, JsonNode body) {
    SchemaRegistryException last = null;
    int first = preferredUrl;
    for (int attempt = 0; attempt <= options.maxRetries(); attempt++) {
      if (attempt > 0) {
        pause(backoff(attempt, last));
      }
      int index = Math.floorMod(first + attempt, urls.size());
      URI uri = URI.create(urls.get(index) + path);
      try {
        requests.incrementAndGet();
        HttpResponse<String> response =
            http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          preferredUrl = index;
          return SchemaRegistryClient.JSON.readTree(
              response.body().isEmpty() ? "{}" : response.body());
        }
        last = error(method, uri, status, response);
        if (!retryable(status)) {
          throw last;
        }
      } catch (IOException e) {
        last =
            new SchemaRegistryException(
                method
                    + " "
                    + uri
                    + " failed: "
                    + e.getClass().getSimpleName()
                    + " "
                    + e.getMessage(),
                -1,
                -1,
                e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(method + " " + uri + " interrupted", -1, -1, e);
      }
    }
    throw new SchemaRegistryException(
        "Schema registry request failed after "
            + (options.maxRetries() + 1)
            + " attempts: "
            + last.getMessage(),
        last.status(),
        last.errorCode(),
        last);
  }

  private HttpRequest request(String method, URI uri, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(options.requestTimeout())
            .header("Accept", ACCEPT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }

  /** 408, 429 and 5xx are worth retrying; any other status will not change on its own. */
  static boolean retryable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  }

  private Duration backoff(int retry, SchemaRegistryException last) {
    long cap = options.maxBackoff().toMillis();
    long base = options.initialBackoff().toMillis() << Math.min(retry - 1, 20);
    long bounded = Math.min(cap, Math.max(0, base));
    // Jitter in [bounded/2, bounded] spreads retries of many clients after a registry restart.
    long millis = bounded / 2 + ThreadLocalRandom.current().nextLong(bounded / 2 + 1);
    if (last instanceof RetryAfter retryAfter) {
      millis = Math.min(cap, Math.max(millis, retryAfter.retryAfterMillis));
    }
    return Duration.ofMillis(millis);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while backing off", -1, -1, e);
    }
  }

  private static SchemaRegistryException error(
      String method, URI uri, int status, HttpResponse<String> response) {
    int errorCode = -1;
    String message = abbreviate(response.body());
    try {
      JsonNode json = SchemaRegistryClient.JSON.readTree(response.body());
      if (json != null && json.isObject()) {
        errorCode = json.path("error_code").asInt(-1);
        message = json.path("message").asText(message);
      }
    } catch (IOException notJson) {
      // keep the raw (abbreviated) body as the message
    }
    String text =
        method
            + " "
            + uri
            + " returned HTTP "
            + status
            + (errorCode >= 0 ? " (error_code " + errorCode + ")" : "")
            + ": "
            + message;
    long retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .map(RegistryHttp::retryAfterMillis)
            .orElse(-1L);
    return retryAfter >= 0
        ? new RetryAfter(text, status, errorCode, retryAfter)
        : new SchemaRegistryException(text, status, errorCode, null);
  }

  private static long retryAfterMillis(String header) {
    try {
      return Long.parseLong(header.trim()) * 1000;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static Schema parseSchema(JsonNode response, String what) {
    String type = response.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw new SchemaRegistryException(
          "The registry returned a " + type + " schema for " + what + "; only AVRO is supported",
          200,
          -1,
          null);
    }
    JsonNode schema = response.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw new SchemaRegistryException(
          "The registry response for " + what + " has no schema", 200, -1, null);
    }
    try {
      return new Schema.Parser().parse(schema.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          "The registry returned an unparsable Avro schema for " + what + ": " + e.getMessage(),
          200,
          -1,
          e);
    }
  }

  static int requiredInt(JsonNode response, String field) {
    JsonNode value = response.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new SchemaRegistryException(
          "The registry response has no integer '"
              + field
              + "': "
              + abbreviate(response.toString()),
          200,
          -1,
          null);
    }
    return value.asInt();
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  /** A retryable error whose response said how long to wait. */
  private static final class RetryAfter extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterMillis;

    RetryAfter(String message, int status, int errorCode, long retryAfterMillis) {
      super(message, status, errorCode, null);
      this.retryAfterMillis = retryAfterMillis;
    }
  }
}
