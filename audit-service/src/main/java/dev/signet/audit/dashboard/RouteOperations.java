package dev.signet.audit.dashboard;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The routes as operators manage them: the routing rules, read and replaced through rules-service's
 * management API (which validates them, stores a new send-policy version and publishes it; the
 * dashboard keeps no copy), and each route's circuit state as an sms-dispatcher instance reports it
 * in its metrics.
 */
final class RouteOperations {

  private static final Logger log = LoggerFactory.getLogger(RouteOperations.class);
  private static final String ROUTING = "/v1/management/send-policy/routing";

  /** {@code resilience4j_circuitbreaker_state{...name="vonage-sms",...state="open"...} 1.0}. */
  private static final Pattern STATE =
      Pattern.compile(
          "^resilience4j_circuitbreaker_state\\{([^}]*)\\}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);

  private static final Pattern FAILURE_RATE =
      Pattern.compile(
          "^resilience4j_circuitbreaker_failure_rate\\{([^}]*)\\}\\s+([0-9.eE+-]+)$",
          Pattern.MULTILINE);

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final ManagementUpstream rules;
  private final ManagementUpstream dispatcher;
  private final URI rulesUrl;
  private final URI dispatcherUrl;

  RouteOperations(DashboardProperties properties, JsonMapper json) {
    this.rules =
        new ManagementUpstream(
            "rules-service",
            properties.rulesManagementSecret(),
            "SIGNET_RULES_MANAGEMENT_SECRET",
            properties.challengeTimeout(),
            json);
    this.dispatcher =
        new ManagementUpstream(
            "sms-dispatcher",
            properties.dispatcherManagementSecret(),
            "SIGNET_DISPATCHER_MANAGEMENT_SECRET",
            properties.challengeTimeout(),
            json);
    this.rulesUrl = properties.rulesUrl();
    this.dispatcherUrl = properties.dispatcherUrl();
  }

  /** The rules in force and their policy version, as rules-service answers. */
  Mono<JsonNode> routing() {
    return rules.json(
        rules.http.get().uri(uri(rulesUrl, ROUTING)).accept(MediaType.APPLICATION_JSON));
  }

  /** Replaces the rules; rules-service's validation errors come back as 400 with its text. */
  Mono<JsonNode> replace(JsonNode body, String operator) {
    return rules
        .json(
            rules
                .http
                .put()
                .uri(uri(rulesUrl, ROUTING))
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body))
        .doOnNext(
            answer ->
                log.info(
                    "routing rules replaced from the dashboard operator={} version={} rules={}",
                    operator,
                    answer.path("version").asLong(),
                    answer.path("rules").size()));
  }

  /** One route's circuit as the dispatcher reports it. */
  record RouteHealth(String route, String state, Double failureRatePercent) {}

  /** Every route's circuit state: {@code closed}, {@code open}, {@code half_open}, ... */
  record RoutesHealth(String source, List<RouteHealth> routes) {}

  Mono<RoutesHealth> health() {
    return dispatcher
        .text(
            dispatcher
                .http
                .get()
                // Only the circuit metrics (Spring Boot's includedNames filter): a few lines.
                .uri(
                    UriComponentsBuilder.fromUri(dispatcherUrl)
                        .path("/actuator/prometheus")
                        .queryParam(
                            "includedNames",
                            "resilience4j_circuitbreaker_state,resilience4j_circuitbreaker_failure_rate")
                        .build()
                        .toUri())
                .accept(MediaType.TEXT_PLAIN))
        .map(metrics -> new RoutesHealth("sms-dispatcher " + dispatcherUrl, parse(metrics)));
  }

  /** The current state per route (the state gauge whose value is 1) and its failure rate. */
  static List<RouteHealth> parse(String metrics) {
    Map<String, String> states = new TreeMap<>();
    Matcher m = STATE.matcher(metrics);
    while (m.find()) {
      Map<String, String> labels = labels(m.group(1));
      if (Double.parseDouble(m.group(2)) >= 1 && labels.containsKey("name")) {
        states.put(labels.get("name"), labels.get("state"));
      }
    }
    Map<String, Double> rates = new TreeMap<>();
    Matcher f = FAILURE_RATE.matcher(metrics);
    while (f.find()) {
      Map<String, String> labels = labels(f.group(1));
      double rate = Double.parseDouble(f.group(2));
      if (labels.containsKey("name") && rate >= 0) {
        rates.put(labels.get("name"), rate);
      }
    }
    List<RouteHealth> out = new ArrayList<>();
    states.forEach((route, state) -> out.add(new RouteHealth(route, state, rates.get(route))));
    return out;
  }

  private static Map<String, String> labels(String raw) {
    Map<String, String> labels = new TreeMap<>();
    Matcher l = LABEL.matcher(raw);
    while (l.find()) {
      labels.put(l.group(1), l.group(2));
    }
    return labels;
  }

  private static URI uri(URI base, String path) {
    return UriComponentsBuilder.fromUri(base).path(path).build().toUri();
  }
}
