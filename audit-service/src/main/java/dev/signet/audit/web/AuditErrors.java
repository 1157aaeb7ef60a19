package dev.signet.audit.web;

import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import dev.signet.platform.web.JsonErrorHandler;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * How audit-service answers an error, on every surface: {@code {"error","errorDescription"}}
 * through the platform's responder (security chain, firewall) and its exception handler (the
 * service's {@link DocumentedError}s first, then the framework's refusals).
 */
@Configuration(proxyBeanMethods = false)
class AuditErrors {

  static final String CHALLENGE = "Bearer realm=\"signet-management\"";

  @Bean
  ErrorResponder auditErrorResponder() {
    ErrorResponder json = ErrorResponder.json(CHALLENGE);
    return new ErrorResponder() {
      @Override
      public Mono<Void> write(ServerWebExchange exchange, HttpError error) {
        return json.write(exchange, error);
      }

      @Override
      public String unauthorizedDescription(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/dashboard")) {
          return "Sign in to the dashboard.";
        }
        return "The request is unauthorized. Send the management secret as a Bearer token.";
      }
    };
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
