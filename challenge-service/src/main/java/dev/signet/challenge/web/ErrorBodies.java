package dev.signet.challenge.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes the JSON error bodies of SPEC.md 4.3 directly, without touching the codec chain: the
 * server API's {@code {"error","errorDescription"}} and, under {@code /v1/client/}, the client
 * API's {@code {"error","errorCode","errorDescription"}} (the browser SDK detects a failure by the
 * presence of {@code error} and reads {@code errorCode}).
 */
public final class ErrorBodies {

  /** Path prefix of the client API (SPEC.md 4.2), which answers with the client error body. */
  public static final String CLIENT_PREFIX = "/v1/client/";

  private ErrorBodies() {}

  /** Writes the error body of the surface the request belongs to. */
  public static Mono<Void> write(ServerWebExchange exchange, ApiError error, String description) {
    boolean client = exchange.getRequest().getPath().value().startsWith(CLIENT_PREFIX);
    return client
        ? writeClient(exchange.getResponse(), error, description)
        : write(exchange.getResponse(), error, description);
  }

  static Mono<Void> write(ServerHttpResponse response, ApiError error, String description) {
    response.setStatusCode(error.status());
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    if (error == ApiError.UNAUTHORIZED) {
      response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"signet\"");
    }
    String body =
        "{\"error\":\"" + error.code() + "\",\"errorDescription\":\"" + escape(description) + "\"}";
    var buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }

  private static Mono<Void> writeClient(
      ServerHttpResponse response, ApiError error, String description) {
    response.setStatusCode(error.status());
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    if (error.status().value() == 401) {
      response
          .getHeaders()
          .set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"signet\", error=\"invalid_token\"");
    }
    String body =
        "{\"error\":\""
            + error.code()
            + "\",\"errorCode\":\""
            + error.code()
            + "\",\"errorDescription\":\""
            + escape(description)
            + "\"}";
    var buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
