package dev.signet.rules.management;

import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.management.SendPolicyRequests.BlockBody;
import dev.signet.rules.management.SendPolicyRequests.SettingsBody;
import dev.signet.rules.management.SendPolicyViews.Detection;
import dev.signet.rules.management.SendPolicyViews.Detections;
import dev.signet.rules.management.SendPolicyViews.PolicyView;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.policy.service.SendPolicyService;
import dev.signet.rules.store.SendTrafficStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The send-policy management API: read the policy, replace or change its settings, block and lift
 * destinations, and read the pumping guard's detections. Every change is a new policy version
 * published on {@code auth.policy.send-policy.v1}.
 */
@RestController
@RequestMapping(path = "/v1/management/send-policy", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
    name = "Send policy",
    description =
        "Allowed destination countries, send velocities, daily budget, conversion breaker,"
            + " shadow mode, blocked prefixes and countries")
@SecurityRequirement(name = "managementSecret")
class SendPolicyController {

  static final String OPERATOR = "management-api";
  private static final String SETTINGS_BODY =
      "allowedCountries (ISO 3166-1 alpha-2 codes; empty allows none), shadowMode (boolean),"
          + " perNumber / perPrefix / perCountry ({maxCount 0-100000000, 0 = off; windowSeconds"
          + " 1-2592000}), dailyGlobalBudget (1-1000000000 or null = unlimited),"
          + " minConversionRate (0-1, 0 = breaker off), conversionMinVolume (0-100000000),"
          + " conversionWindowSeconds (60-2592000), autoBlockSeconds (60-2592000).";

  private final SendPolicyService policies;
  private final SendTrafficStore traffic;
  private final Clock clock;

  SendPolicyController(SendPolicyService policies, SendTrafficStore traffic, Clock clock) {
    this.policies = policies;
    this.traffic = traffic;
    this.clock = clock;
  }

  @GetMapping
  @Operation(summary = "The send policy in force, with its version and active blocks")
  Mono<PolicyView> get() {
    return blocking(() -> view(policies.current()));
  }

  @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Replace every setting of the send policy (blocks are kept)",
      description = "Every field is required: " + SETTINGS_BODY)
  Mono<PolicyView> replace(@RequestBody SettingsBody body) {
    return changeSettings(body, true);
  }

  @PatchMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Change some settings of the send policy",
      description = "Any non-empty subset of: " + SETTINGS_BODY)
  Mono<PolicyView> patch(@RequestBody SettingsBody body) {
    return changeSettings(body, false);
  }

  private Mono<PolicyView> changeSettings(SettingsBody body, boolean replace) {
    // Validate against the current settings before changing anything, so a bad body is a 400
    // whatever the stored state.
    String correlationId = UUID.randomUUID().toString();
    return blocking(
        () -> {
          SendPolicy.Settings settings = body.toSettings(policies.current().settings(), replace);
          return view(
              policies.change(
                  p ->
                      p.settings().equals(settings)
                          ? p
                          : p.withSettings(settings, OPERATOR, clock.instant(), correlationId)));
        });
  }

  @PostMapping(path = "/blocks", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Block a prefix or a country",
      description =
          "Body {kind: prefix|country, value, reason? ([a-z0-9_], default operator), until?"
              + " (ISO-8601 instant; default: until lifted)}. A prefix is the E.164 number"
              + " without its last four digits (+44770090).")
  Mono<PolicyView> block(@RequestBody BlockBody body) {
    Instant now = clock.instant();
    SendPolicyRequests.BlockRequest request = body.toBlock(now);
    String correlationId = UUID.randomUUID().toString();
    return blocking(
        () ->
            view(
                policies.change(
                    p ->
                        p.withBlock(
                            request.kind(), request.block(), OPERATOR, now, correlationId))));
  }

  @DeleteMapping("/blocks/{kind}/{value}")
  @Operation(
      summary = "Lift the block of a prefix or a country",
      description =
          "kind is prefix or country. The automatic guard counts only traffic after the lift.")
  Mono<PolicyView> lift(@PathVariable("kind") String kind, @PathVariable("value") String value) {
    SendPolicy.Kind k = SendPolicyRequests.kind(kind);
    String destination = SendPolicyRequests.destination(k, value);
    Instant now = clock.instant();
    String correlationId = UUID.randomUUID().toString();
    return blocking(
        () -> {
          if (policies.current().activeBlock(k, destination, now).isEmpty()) {
            throw HttpErrorException.notFound("That destination is not blocked.");
          }
          return view(
              policies.change(p -> p.withLift(k, destination, OPERATOR, now, correlationId)));
        });
  }

  @GetMapping("/detections")
  @Operation(
      summary = "What the pumping guard detected",
      description =
          "One entry per destination and reason, newest first: observed count, limit, window,"
              + " how often it fired, and whether it was only reported (shadow mode).")
  Mono<Detections> detections() {
    return blocking(
        () -> new Detections(traffic.detections(100).stream().map(Detection::of).toList()));
  }

  /** The policy and traffic stores block: they are called off the event loop. */
  private static <T> Mono<T> blocking(Callable<T> work) {
    return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
  }

  private PolicyView view(SendPolicy policy) {
    return PolicyView.of(policy, clock.instant());
  }
}
