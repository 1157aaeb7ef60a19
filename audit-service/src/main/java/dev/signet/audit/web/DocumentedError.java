package dev.signet.audit.web;

import dev.signet.platform.web.HttpError;
import org.springframework.web.server.ServerWebExchange;

/**
 * An expected refusal of one of audit-service's surfaces (query API, dashboard) that carries its
 * documented JSON error; {@link AuditErrors} answers it as such.
 */
public interface DocumentedError {

  HttpError httpError();

  /** Adds headers the answer needs (e.g. {@code Retry-After}); none by default. */
  default void decorate(ServerWebExchange exchange) {}
}
