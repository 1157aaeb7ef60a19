package dev.signet.audit.dashboard;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Another service's management routes as the dashboard calls them: with that service's management
 * secret (never the operator's session), a timeout, and its answers turned into the dashboard's
 * documented errors: its 400 {@code errorDescription} shown to the operator as it is (the service
 * owns the validation), a refused secret or an unreachable service as a configuration or
 * availability error, nothing else passed through.
 */
final class ManagementUpstream {

  private static final Logger log = LoggerFactory.getLogger(ManagementUpstream.class);

  private final String service;
  private final String secretSetting;
  private final String authorization;
  private final Duration timeout;
  private final JsonMapper json;
  private final boolean configured;

  /**
   * Answers are read whole; an sms-dispatcher's metrics run to hundreds of KiB, above the default
   * 256 KiB, so the bound is set here rather than failing as a too-large body.
   */
  final WebClient http =
      WebClient.builder()
          .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
          .build();

  /**
   * @param service the service's name as the operator reads it ({@code rules-service})
   * @param secret its management secret; blank leaves every call refused with 503
   * @param secretSetting the environment variable that sets it, named in errors
   */
  ManagementUpstream(
      String service, String secret, String secretSetting, Duration timeout, JsonMapper json) {
    this.service = service;
    this.secretSetting = secretSetting;
    this.configured = secret != null && !secret.isBlank();
    this.authorization = "Bearer " + (configured ? secret : "");
    this.timeout = timeout;
    this.json = json;
    if (!configured) {
      log.warn(
          "{} is not set: the dashboard cannot reach {}'s management routes",
          secretSetting,
          service);
    }
  }

  /** The JSON answer of a 200, or the documented error. */
  Mono<JsonNode> json(WebClient.RequestHeadersSpec<?> request) {
    return text(request).map(this::parse);
  }

  /** The body of a 200 as text, or the documented error. */
  Mono<String> text(WebClient.RequestHeadersSpec<?> request) {
    if (!configured) {
      return Mono.error(
          new DashboardException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "invalid_configuration",
              "audit-service has no management secret for "
                  + service
                  + " ("
                  + secretSetting
                  + "), so it cannot reach it."));
    }
    return request
        .header("Authorization", authorization)
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(body -> answer(response.statusCode().value(), body)))
        .timeout(timeout)
        .onErrorMap(
            e -> e instanceof TimeoutException || e instanceof WebClientRequestException,
            e ->
                new DashboardException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "upstream_unavailable",
                    service + " did not answer; nothing was changed. Try again."));
  }

  private String answer(int status, String body) {
    if (status == 200) {
      return body;
    }
    String description = parse(body).path("errorDescription").asText("");
    if (status == 400) {
      throw DashboardException.invalid(
          description.isEmpty() ? service + " refused the request." : description);
    }
    if (status == 401 || status == 403) {
      throw new DashboardException(
          HttpStatus.BAD_GATEWAY,
          "invalid_configuration",
          service + " refused audit-service's management secret (" + secretSetting + ").");
    }
    throw new DashboardException(
        HttpStatus.BAD_GATEWAY,
        "upstream_error",
        service + " answered HTTP " + status + "; nothing was changed.");
  }

  private JsonNode parse(String body) {
    try {
      return body.isBlank() ? json.missingNode() : json.readTree(body);
    } catch (RuntimeException e) {
      return json.missingNode();
    }
  }
}
