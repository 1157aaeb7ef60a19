package dev.signet.rules.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.evaluation.ActionAttributes;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Decision;
import dev.signet.rules.evaluation.RiskSignals;
import dev.signet.rules.evaluation.Rule;
import dev.signet.rules.evaluation.RuleEvaluator;
import dev.signet.rules.evaluation.Trace;
import dev.signet.rules.store.RuleStore;
import dev.signet.rules.store.SignalStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The dry run of the rules management API: evaluates stored or candidate rules against sample
 * attributes and signals and explains every rule's part in the decision. Nothing is recorded.
 */
@RestController
@RequestMapping(path = "/v1/management/actions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Rules", description = "Rules per action, default outcomes and dry runs")
@SecurityRequirement(name = "managementSecret")
class DryRunController {

  private final RuleStore store;
  private final SignalStore signals;
  private final Clock clock;

  DryRunController(RuleStore store, SignalStore signals, Clock clock) {
    this.store = store;
    this.signals = signals;
    this.clock = clock;
  }

  @PostMapping(path = "/{action}/dry-run", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Evaluate rules against sample attributes and explain the result",
      description =
          "Body: attributes {userId?, ipAddress?, userAgent?, deviceId?, custom?, isEnrolled?,"
              + " phoneCountry?}; rules? (candidate rule bodies; default: the stored rules);"
              + " defaults? {enrolled?, unenrolled?}; signals? {deviceSeenBefore, actions,"
              + " failedVerifications, failedDeliveries} (default: the user's recorded history); at? (ISO-8601"
              + " instant, default now). Nothing is recorded.")
  Mono<Explanation> dryRun(
      @PathVariable("action") String action, @RequestBody Map<String, Object> body) {
    String code = RuleRequests.actionCode(action);
    RuleRequests.only(body, Set.of("attributes", "rules", "defaults", "signals", "at"), "");
    ActionAttributes attributes = RuleRequests.attributes(code, body.get("attributes"));
    Clock at = clock;
    if (body.get("at") != null) {
      try {
        at =
            Clock.fixed(
                Instant.parse(RuleRequests.text(body.get("at"), "at", 64, true)), ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw HttpErrorException.invalid(
            "at must be an ISO-8601 instant, like 2026-11-25T18:00:00Z.");
      }
    }
    RiskSignals riskSignals = signalsFor(body.get("signals"), attributes);
    Mono<List<Rule>> rules;
    if (body.get("rules") != null) {
      if (!(body.get("rules") instanceof List<?> list) || list.size() > 100) {
        throw HttpErrorException.invalid("rules must be an array of at most 100 rules.");
      }
      List<Rule> candidates = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> map)) {
          throw HttpErrorException.invalid("rules[" + i + "] must be an object.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> ruleBody = (Map<String, Object>) map;
        candidates.add(
            RuleRequests.rule(
                ruleBody, "draft-" + (i + 1), code, (i + 1) * RulesController.PRIORITY_STEP));
      }
      rules = Mono.just(candidates);
    } else {
      rules = store.rules(code);
    }
    Mono<ActionDefaults> defaults =
        body.get("defaults") instanceof Map<?, ?> map
            ? Mono.just(RuleRequests.defaults(code, castMap(map)))
            : body.get("defaults") == null
                ? store.defaults(code)
                : Mono.error(HttpErrorException.invalid("defaults must be an object."));
    RuleEvaluator evaluator = new RuleEvaluator(at);
    Instant evaluatedAt = at.instant();
    return Mono.zip(rules, defaults)
        .publishOn(Schedulers.boundedElastic())
        .map(
            t ->
                Explanation.of(
                    evaluator.explain(t.getT1(), t.getT2(), attributes, riskSignals), evaluatedAt));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private RiskSignals signalsFor(Object value, ActionAttributes attributes) {
    if (value == null) {
      if (attributes.userId().isEmpty()) {
        return new FixedSignals(false, 0, 0, 0);
      }
      return signals;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw HttpErrorException.invalid("signals must be an object.");
    }
    RuleRequests.only(
        map,
        Set.of("deviceSeenBefore", "actions", "failedVerifications", "failedDeliveries"),
        "signals.");
    Object seen = map.get("deviceSeenBefore");
    if (seen != null && !(seen instanceof Boolean)) {
      throw HttpErrorException.invalid("signals.deviceSeenBefore must be a boolean.");
    }
    return new FixedSignals(
        seen != null && (Boolean) seen,
        count(map.get("actions"), "signals.actions"),
        count(map.get("failedVerifications"), "signals.failedVerifications"),
        count(map.get("failedDeliveries"), "signals.failedDeliveries"));
  }

  private static long count(Object value, String field) {
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer i) || i < 0) {
      throw HttpErrorException.invalid(field + " must be a non-negative integer.");
    }
    return i;
  }

  /**
   * Signals given in a dry run: the same history for every window. {@code actions} counts earlier
   * actions; the evaluated one is added by the evaluator as always.
   */
  private record FixedSignals(
      boolean deviceSeen, long actions, long failedVerifications, long failedDeliveries)
      implements RiskSignals {
    @Override
    public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
      return deviceSeen;
    }

    @Override
    public long actionsSince(String userId, String actionCode, Instant since, String eventId) {
      return actions;
    }

    @Override
    public long failedVerificationsSince(String userId, Instant since) {
      return failedVerifications;
    }

    @Override
    public long failedDeliveriesSince(String userId, Instant since) {
      return failedDeliveries;
    }
  }

  /** The answer of a dry run: the decision, the signals it read and every rule's trace. */
  record Explanation(
      String decision,
      List<String> ruleIds,
      boolean defaultOutcome,
      Map<String, String> signals,
      String evaluatedAt,
      List<RuleExplanation> rules) {

    static Explanation of(Decision decision, Instant evaluatedAt) {
      List<RuleExplanation> rules = new ArrayList<>();
      for (Decision.RuleTrace trace : decision.traces()) {
        rules.add(
            new RuleExplanation(
                trace.rule().id(),
                trace.rule().name(),
                trace.rule().priority(),
                trace.rule().enabled(),
                trace.rule().outcome().name(),
                trace.evaluated(),
                trace.matched(),
                trace.trace() == null ? null : ConditionExplanation.of(trace.trace())));
      }
      return new Explanation(
          decision.outcome().name(),
          decision.ruleIds(),
          decision.defaultOutcome(),
          decision.signals(),
          evaluatedAt.toString(),
          rules);
    }
  }

  /** One rule of a dry run: whether it was evaluated, whether it matched, and why. */
  record RuleExplanation(
      String ruleId,
      String name,
      int priority,
      boolean enabled,
      String outcome,
      boolean evaluated,
      boolean matched,
      ConditionExplanation explanation) {}

  /** One condition's trace; {@code conditions} only for a group, omitted otherwise. */
  record ConditionExplanation(
      String type,
      boolean matched,
      String detail,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ConditionExplanation> conditions) {

    static ConditionExplanation of(Trace trace) {
      return new ConditionExplanation(
          trace.type(),
          trace.matched(),
          trace.detail(),
          trace.children().stream().map(ConditionExplanation::of).toList());
    }
  }
}
