package dev.signet.rules.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Decision;
import dev.signet.rules.evaluation.Rule;
import dev.signet.rules.evaluation.RuleEvaluator;
import dev.signet.rules.evaluation.Trace;
import dev.signet.rules.management.DryRunRequests.DryRun;
import dev.signet.rules.management.DryRunRequests.DryRunBody;
import dev.signet.rules.store.RuleStore;
import dev.signet.rules.store.SignalStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  Mono<Explanation> dryRun(@PathVariable("action") String action, @RequestBody DryRunBody body) {
    String code = RuleRequests.actionCode(action);
    DryRun run = body.toDryRun(code, clock, signals);
    Mono<List<Rule>> rules = run.rules() == null ? store.rules(code) : Mono.just(run.rules());
    Mono<ActionDefaults> defaults =
        run.defaults() == null ? store.defaults(code) : Mono.just(run.defaults());
    RuleEvaluator evaluator = new RuleEvaluator(run.at());
    Instant evaluatedAt = run.at().instant();
    return Mono.zip(rules, defaults)
        .publishOn(Schedulers.boundedElastic())
        .map(
            t ->
                Explanation.of(
                    evaluator.explain(t.getT1(), t.getT2(), run.attributes(), run.signals()),
                    evaluatedAt));
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
