package dev.signet.platform.web;

import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * How a service answers with an error: the one place that knows its surfaces' body shapes and
 * authentication challenges. The security chain, the firewall and the exception handler all write
 * through it, so a refused request looks the same wherever it is refused.
 */
public interface ErrorResponder {

  /** Writes {@code error} as this service's JSON error body. */
  Mono<Void> write(ServerWebExchange exchange, HttpError error);

  /** The description of a 401 for a request without a usable credential. */
  default String unauthorizedDescription(ServerWebExchange exchange) {
    return "The request is unauthorized: send the credential this route needs.";
  }

  /**
   * The plain {@code {"error","errorCode","errorDescription"}} responder; a 401 carries {@code
   * WWW-Authenticate: <challenge>}.
   */
  static ErrorResponder json(String authenticateChallenge) {
    return (exchange, error) -> {
      if (error.status() == HttpStatus.UNAUTHORIZED) {
        exchange
            .getResponse()
            .getHeaders()
            .set(HttpHeaders.WWW_AUTHENTICATE, authenticateChallenge);
      }
      return ErrorBody.write(exchange.getResponse(), error);
    };
  }

  /** As {@link #json(String)}, with the service's own description of a 401. */
  static ErrorResponder json(
      String authenticateChallenge, Function<ServerWebExchange, String> unauthorizedDescription) {
    ErrorResponder json = json(authenticateChallenge);
    return new ErrorResponder() {
      @Override
      public Mono<Void> write(ServerWebExchange exchange, HttpError error) {
        return json.write(exchange, error);
      }

      @Override
      public String unauthorizedDescription(ServerWebExchange exchange) {
        return unauthorizedDescription.apply(exchange);
      }
    };
  }
}
