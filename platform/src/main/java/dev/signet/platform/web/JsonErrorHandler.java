package dev.signet.platform.web;

import dev.signet.platform.logging.LogText;
import dev.signet.platform.mongo.StoreUnavailable;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The single error mapper of a service's HTTP surface: {@link HttpErrorException}s as they say,
 * then the data store being unreachable ({@code 503 service_unavailable} with {@code Retry-After},
 * see {@link StoreUnavailable}), then the service's own outcomes, then what the framework refuses
 * ({@link FrameworkErrors}); anything else is {@code internal_error} without detail, its cause kept
 * in the log. Register it as a bean with {@code @Order(-2)} so it runs before Boot's own handler.
 */
public final class JsonErrorHandler implements WebExceptionHandler {

  /** Maps a service's own exceptions to their documented errors (may set headers on the way). */
  @FunctionalInterface
  public interface DomainErrors {
    Optional<HttpError> map(ServerWebExchange exchange, Throwable failure);
  }

  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

  private final ErrorResponder errors;
  private final DomainErrors domain;

  public JsonErrorHandler(ErrorResponder errors, DomainErrors domain) {
    this.errors = errors;
    this.domain = domain;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(failure);
    }
    if (failure instanceof HttpErrorException refused) {
      refused.decorate(exchange);
      return errors.write(exchange, refused.error());
    }
    if (StoreUnavailable.is(failure)) {
      log.warn(
          "request failed, data store unavailable id={} path={} reason={}",
          exchange.getRequest().getId(),
          LogText.escape(exchange.getRequest().getPath().value()),
          failure.toString());
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Long.toString(StoreUnavailable.RETRY_AFTER.toSeconds()));
      return errors.write(exchange, StoreUnavailable.ERROR);
    }
    HttpError error =
        domain
            .map(exchange, failure)
            .or(() -> FrameworkErrors.classify(failure))
            .orElseGet(
                () -> {
                  log.error(
                      "request failed id={} path={}",
                      exchange.getRequest().getId(),
                      LogText.escape(exchange.getRequest().getPath().value()),
                      failure);
                  return HttpError.internal();
                });
    return errors.write(exchange, error);
  }
}
