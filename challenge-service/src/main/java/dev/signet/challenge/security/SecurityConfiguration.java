package dev.signet.challenge.security;

import dev.signet.challenge.client.ClientProperties;
import dev.signet.challenge.client.ClientTokenManager;
import dev.signet.platform.security.CredentialAuthenticationManager;
import dev.signet.platform.security.SharedSecret;
import dev.signet.platform.security.SignetSecurity;
import dev.signet.platform.web.ErrorResponder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The one security chain of challenge-service, deny by default. Rules match the decoded, normalised
 * path the router matches (the strict firewall refuses every other spelling first):
 *
 * <ul>
 *   <li>public: the JWKS ({@code GET /.well-known/jwks.json}, {@code GET /v1/client/public/**}),
 *       the liveness and readiness probes, and CORS preflights of the client API;
 *   <li>{@code /v1/client/**}: a client token (track, access or success token);
 *   <li>{@code /v1/management/**} (operators' verification-lock routes): the management secret;
 *   <li>every other {@code /v1/**}: the API secret as the Basic user name;
 *   <li>{@code /actuator/**}: the management secret;
 *   <li>anything else: denied.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

  @Bean
  SecurityWebFilterChain securityChain(
      ServerHttpSecurity http,
      SecurityProperties secrets,
      ClientTokenManager clientTokens,
      ClientProperties client,
      ErrorResponder errors) {
    var credentials =
        CredentialAuthenticationManager.builder()
            .basicUser(
                SharedSecret.of(
                    secrets.apiSecret(), "signet.challenge.api-secret (SIGNET_API_SECRET)"),
                SignetSecurity.API)
            .bearerOrBasicUser(
                SharedSecret.of(
                    secrets.managementSecret(),
                    "signet.challenge.management-secret (SIGNET_MANAGEMENT_SECRET)"),
                SignetSecurity.MANAGEMENT)
            .bearerTokens(clientTokens)
            .build();
    return SignetSecurity.common(http, credentials, errors)
        .cors(cors -> cors.configurationSource(new ClientCors(client)))
        .authorizeExchange(
            exchanges ->
                SignetSecurity.actuator(exchanges)
                    .pathMatchers(HttpMethod.GET, "/.well-known/jwks.json", "/v1/client/public/**")
                    .permitAll()
                    .pathMatchers("/v1/client/**")
                    .hasAuthority(ClientTokenManager.AUTHORITY)
                    .pathMatchers("/v1/management/**")
                    .hasAuthority(SignetSecurity.MANAGEMENT)
                    .pathMatchers("/v1/**")
                    .hasAuthority(SignetSecurity.API)
                    .anyExchange()
                    .denyAll())
        .build();
  }
}
