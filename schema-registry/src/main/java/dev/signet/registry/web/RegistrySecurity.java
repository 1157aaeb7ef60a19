package dev.signet.registry.web;

import dev.signet.registry.RegistryProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The registry's HTTP surface, deny by default. Reads (schemas, subjects, versions, configuration,
 * mode, lookups and compatibility checks, which change nothing) and the health probe are public:
 * every Kafka consumer needs them and they hold only schemas. Registering a schema, deleting a
 * subject or version and changing a compatibility level need the writer's HTTP Basic credential
 * ({@code signet.registry.writer}): without it anyone who reaches the registry could register an
 * incompatible schema or delete a subject and stop every producer. Any other route is refused.
 * Refusals are Confluent's JSON error body, {@code {"error_code":401,"message":..}}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class RegistrySecurity {

  static final String WRITER = "SCHEMA_WRITER";
  private static final Logger log = LoggerFactory.getLogger(RegistrySecurity.class);

  @Bean
  SecurityWebFilterChain registrySecurityChain(
      ServerHttpSecurity http, RegistryProperties properties) {
    RegistryProperties.Writer writer = properties.writer();
    if (writer.password() == null || writer.password().isBlank()) {
      log.warn(
          "signet.registry.writer.password (SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD) is not set:"
              + " every write to the registry is refused");
    }
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .httpBasic(
            basic ->
                basic
                    .authenticationManager(writerOnly(writer))
                    .authenticationEntryPoint(
                        (exchange, e) -> refuse(exchange, HttpStatus.UNAUTHORIZED)))
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint(
                        (exchange, e) -> refuse(exchange, HttpStatus.UNAUTHORIZED))
                    .accessDeniedHandler(
                        (exchange, denied) -> refuse(exchange, HttpStatus.FORBIDDEN)))
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(HttpMethod.GET, "/actuator/health")
                    .permitAll()
                    .pathMatchers(
                        HttpMethod.GET,
                        "/",
                        "/schemas/**",
                        "/subjects",
                        "/subjects/*/versions",
                        "/subjects/*/versions/**",
                        "/config",
                        "/config/*",
                        "/mode",
                        "/mode/*")
                    .permitAll()
                    // Newer Confluent clients probe associations first and fall back on the 404.
                    .pathMatchers("/associations", "/associations/**")
                    .permitAll()
                    // Look-ups and compatibility checks are POSTs that change nothing.
                    .pathMatchers(HttpMethod.POST, "/subjects/*", "/compatibility/subjects/**")
                    .permitAll()
                    .pathMatchers(HttpMethod.POST, "/subjects/*/versions")
                    .hasAuthority(WRITER)
                    .pathMatchers(HttpMethod.PUT, "/config", "/config/*", "/mode", "/mode/*")
                    .hasAuthority(WRITER)
                    .pathMatchers(
                        HttpMethod.DELETE, "/subjects/*", "/subjects/*/versions/*", "/config/*")
                    .hasAuthority(WRITER)
                    .anyExchange()
                    .denyAll())
        .build();
  }

  /** Accepts the writer's user name and password, compared in constant time; nothing else. */
  static ReactiveAuthenticationManager writerOnly(RegistryProperties.Writer writer) {
    byte[] user = writer.username().getBytes(StandardCharsets.UTF_8);
    byte[] password =
        writer.password() == null
            ? new byte[0]
            : writer.password().getBytes(StandardCharsets.UTF_8);
    return authentication -> {
      byte[] givenUser =
          String.valueOf(authentication.getPrincipal()).getBytes(StandardCharsets.UTF_8);
      byte[] givenPassword =
          String.valueOf(authentication.getCredentials()).getBytes(StandardCharsets.UTF_8);
      boolean userMatches = MessageDigest.isEqual(user, givenUser);
      boolean passwordMatches = MessageDigest.isEqual(password, givenPassword);
      if (password.length == 0 || !userMatches || !passwordMatches) {
        return Mono.error(new BadCredentialsException("not the registry's writer"));
      }
      return Mono.just(
          UsernamePasswordAuthenticationToken.authenticated(
              writer.username(), null, AuthorityUtils.createAuthorityList(WRITER)));
    };
  }

  /** Confluent's error body: 40101 for a missing or wrong credential, 40301 for a refused route. */
  static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status) {
    var response = exchange.getResponse();
    response.setStatusCode(status);
    HttpHeaders headers = response.getHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    String message;
    int code;
    if (status == HttpStatus.UNAUTHORIZED) {
      headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"signet-schema-registry\"");
      code = 40101;
      message =
          "Unauthorized: this route changes the registry and needs the writer's HTTP Basic"
              + " credential.";
    } else {
      code = 40301;
      message = "Forbidden: the registry has no such route for this credential.";
    }
    byte[] body =
        ("{\"error_code\":" + code + ",\"message\":\"" + message + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }
}
