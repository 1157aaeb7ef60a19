package dev.signet.audit.web;

import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.JsonErrorHandler;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * How audit-service answers an error, on every surface: {@code
 * {"error","errorCode","errorDescription"}} through the platform's responder (security chain,
 * firewall) and its exception handler (the service's {@link DocumentedError}s first, then the
 * framework's refusals).
 */
@Configuration(proxyBeanMethods = false)
class AuditErrors {

  static final String CHALLENGE = "Bearer realm=\"signet-management\"";

  @Bean
  ErrorResponder auditErrorResponder() {
    return ErrorResponder.json(
        CHALLENGE,
        exchange ->
            exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/dashboard")
                ? "Sign in to the dashboard."
                : "The request is unauthorized. Send the management secret as a Bearer token.");
  }

  @Bean
  @Order(-2)
  JsonErrorHandler auditErrorHandler(ErrorResponder errors) {
    return new JsonErrorHandler(
        errors,
        (exchange, failure) -> {
          if (failure instanceof DocumentedError documented) {
            documented.decorate(exchange);
            return Optional.of(documented.httpError());
          }
          return Optional.empty();
        });
  }
}
