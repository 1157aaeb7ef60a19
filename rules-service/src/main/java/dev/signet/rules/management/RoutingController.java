package dev.signet.rules.management;

import dev.signet.rules.policy.RoutingRule;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.policy.service.SendPolicyService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The routing rules of the send policy: per destination region and channel, the routes
 * sms-dispatcher tries in failover order. A change is a new send policy version, published on the
 * compacted {@code auth.policy.send-policy.v1} like every other change of the policy.
 */
@RestController
@RequestMapping(
    path = "/v1/management/send-policy/routing",
    produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Send policy")
@SecurityRequirement(name = "managementSecret")
class RoutingController {

  private final SendPolicyService policies;
  private final Clock clock;

  RoutingController(SendPolicyService policies, Clock clock) {
    this.policies = policies;
    this.clock = clock;
  }

  /** The routing rules and the policy version they belong to. */
  record RoutingView(long version, List<RoutingRule> rules) {
    static RoutingView of(SendPolicy policy) {
      return new RoutingView(policy.version(), policy.routing());
    }
  }

  @GetMapping
  @Operation(summary = "The routing rules in force (empty: Vonage SMS API for every SMS)")
  Mono<RoutingView> get() {
    return Mono.fromCallable(() -> RoutingView.of(policies.current()))
        .subscribeOn(Schedulers.boundedElastic());
  }

  @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Replace the routing rules",
      description =
          "Body {rules: [{country: ISO region or *, channel: SMS|WHATSAPP (default SMS), routes:"
              + " [{provider: vonage|twilio, api: sms|messages|whatsapp (vonage) or messaging"
              + " (twilio), sender?: E.164 number or 1-11 alphanumerics, weight?: 0-100}]}]}."
              + " At most 300 rules, one per country and channel; 1 to 5 routes each, each"
              + " provider and API once. Empty rules: the default routes.")
  Mono<RoutingView> replace(@RequestBody JsonNode body) {
    List<RoutingRule> rules = RoutingRequests.rules(body);
    String correlationId = UUID.randomUUID().toString();
    return Mono.fromCallable(
            () ->
                RoutingView.of(
                    policies.change(
                        p ->
                            p.routing().equals(rules)
                                ? p
                                : p.withRouting(
                                    rules,
                                    SendPolicyController.OPERATOR,
                                    clock.instant(),
                                    correlationId))))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
