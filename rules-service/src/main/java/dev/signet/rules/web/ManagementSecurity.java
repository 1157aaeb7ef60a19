package dev.signet.rules.web;

import dev.signet.platform.security.SignetSecurity;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import dev.signet.platform.web.JsonErrorHandler;
import dev.signet.rules.config.RulesProperties;
import dev.signet.rules.evaluation.InvalidRuleException;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * rules-service's HTTP surface, deny by default: the management API, its OpenAPI document and the
 * actuator need the management secret (Bearer, or the Basic user name); only the liveness and
 * readiness probes are public. Every refusal is the JSON {@code
 * {"error","errorCode","errorDescription"}}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class ManagementSecurity {

  static final String UNAUTHORIZED =
      "The request is unauthorized. Send the management secret as a Bearer token.";

  @Bean
  ErrorResponder errorResponder() {
    return ErrorResponder.json("Bearer realm=\"signet-management\"", exchange -> UNAUTHORIZED);
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, RulesProperties properties, ErrorResponder errors) {
    var credentials =
        SignetSecurity.managementSecret(
            properties.managementSecret(),
            "signet.rules.management-secret (SIGNET_MANAGEMENT_SECRET)");
    return SignetSecurity.common(http, credentials, errors)
        .authorizeExchange(
            exchanges ->
                SignetSecurity.actuator(exchanges)
                    .pathMatchers("/v1/management", "/v1/management/**", "/v3/api-docs/**")
                    .hasAuthority(SignetSecurity.MANAGEMENT)
                    .anyExchange()
                    .denyAll())
        .build();
  }

  /**
   * The single error mapper: refusals as they say, invalid rules, then the framework's refusals.
   */
  @Bean
  @Order(-2)
  JsonErrorHandler managementErrorHandler(ErrorResponder errors) {
    return new JsonErrorHandler(
        errors,
        (exchange, failure) -> {
          if (failure instanceof InvalidRuleException invalid) {
            return Optional.of(HttpError.badRequest(invalid.getMessage()));
          }
          return Optional.empty();
        });
  }
}
