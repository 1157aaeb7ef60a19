package dev.signet.platform.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Writes the JSON error body directly, without the codec chain, so it works in security filters and
 * exception handlers alike: {@code {"error","errorCode","errorDescription"}} on every surface of
 * every service. The code is written twice because Authsignal's SDKs disagree on where they read it
 * (Node and Java read {@code error}, Python and the browser SDK read {@code errorCode}). {@code <}
 * and {@code >} are escaped too, so a body opened as a page can never carry markup.
 */
public final class ErrorBody {

  private ErrorBody() {}

  /** The body as UTF-8 bytes. */
  public static byte[] json(String code, String description) {
    StringBuilder body = new StringBuilder(64 + description.length());
    body.append("{\"error\":\"").append(escape(code)).append('"');
    body.append(",\"errorCode\":\"").append(escape(code)).append('"');
    body.append(",\"errorDescription\":\"").append(escape(description)).append("\"}");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sets status, content type and {@code Cache-Control: no-store}, then writes the body. */
  public static Mono<Void> write(ServerHttpResponse response, HttpError error) {
    response.setStatusCode(error.status());
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getHeaders().setCacheControl("no-store");
    byte[] body = json(error.code(), error.description());
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /** JSON string escaping, plus {@code <} and {@code >}. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
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
