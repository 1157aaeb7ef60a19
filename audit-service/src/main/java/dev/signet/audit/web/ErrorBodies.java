package dev.signet.audit.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/** Writes {@code {"error","errorDescription"}} directly, without touching the codec chain. */
final class ErrorBodies {

  private ErrorBodies() {}

  static Mono<Void> write(ServerHttpResponse response, ManagementError error, String description) {
    response.setStatusCode(error.status());
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    if (error == ManagementError.UNAUTHORIZED) {
      response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"signet-management\"");
    }
    String body =
        "{\"error\":\"" + error.code() + "\",\"errorDescription\":\"" + escape(description) + "\"}";
    return response.writeWith(
        Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
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
