package dev.signet.sms.web;

import dev.signet.platform.security.SignetSecurity;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.JsonErrorHandler;
import dev.signet.sms.config.DispatcherProperties;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * sms-dispatcher's HTTP surface, deny by default. Its only public routes are the providers'
 * webhooks, which check the provider's own signature (Twilio's {@code X-Twilio-Signature}; (query
 * or form signature for SMS receipts, a Bearer JWT for Messages API statuses): its {@code
 * Authorization} header is never read as a Signet credential. The actuator needs the management
 * secret, except the liveness and readiness probes.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class DispatcherSecurity {

  static final String WEBHOOK = "/webhooks/vonage/delivery-receipt";
  static final String TWILIO_WEBHOOK = "/webhooks/twilio/status";

  @Bean
  ErrorResponder errorResponder() {
    return ErrorResponder.json("Bearer realm=\"signet-management\"");
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, DispatcherProperties properties, ErrorResponder errors) {
    var credentials =
        SignetSecurity.managementSecret(
            properties.managementSecret(),
            "signet.sms.management-secret (SIGNET_MANAGEMENT_SECRET)");
    var webhook = ServerWebExchangeMatchers.pathMatchers(WEBHOOK, TWILIO_WEBHOOK);
    return SignetSecurity.common(
            http, credentials, errors, new NegatedServerWebExchangeMatcher(webhook))
        .authorizeExchange(
            exchanges ->
                SignetSecurity.actuator(exchanges)
                    // Any method: the route itself answers 405 to all but GET and POST.
                    .pathMatchers(WEBHOOK, TWILIO_WEBHOOK)
                    .permitAll()
                    .anyExchange()
                    .denyAll())
        .build();
  }

  /** Unknown routes, wrong methods and unreadable bodies answer with the JSON error body too. */
  @Bean
  @Order(-2)
  JsonErrorHandler dispatcherErrorHandler(ErrorResponder errors) {
    return new JsonErrorHandler(errors, (exchange, failure) -> Optional.empty());
  }
}
