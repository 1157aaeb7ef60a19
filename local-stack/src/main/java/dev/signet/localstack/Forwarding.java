package dev.signet.localstack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How an {@link EntryPoint} copies a request to an instance and the instance's answer back. */
final class Forwarding {

  private Forwarding() {}

  /** Hop-by-hop headers and those the JDK client sets itself. */
  static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "proxy-connection",
          "http2-settings");

  static HttpRequest request(
      HttpExchange exchange, URI base, String method, byte[] body, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(exchange.getRequestURI().toString()))
            .timeout(timeout)
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        header.getValue().forEach(value -> builder.header(header.getKey(), value));
      }
    }
    return builder.build();
  }

  static void respond(HttpExchange exchange, HttpResponse<byte[]> response, String method)
      throws IOException {
    response
        .headers()
        .map()
        .forEach(
            (header, values) -> {
              if (!header.startsWith(":")
                  && !NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(header, new ArrayList<>(values));
              }
            });
    byte[] body = response.body();
    int status = response.statusCode();
    boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || body.length == 0;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
