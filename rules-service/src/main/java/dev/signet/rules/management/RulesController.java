package dev.signet.rules.management;

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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The rules management API: rules per action (create, replace, enable/disable, reprioritise,
 * delete, list), the action's default outcomes, and a dry run that explains a decision. Changes are
 * written to MongoDB and apply to the next decision of every instance.
 */
@RestController
@RequestMapping(path = "/v1/management/actions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Rules", description = "Rules per action, default outcomes and dry runs")
@SecurityRequirement(name = "managementSecret")
class RulesController {

  private static final int PRIORITY_STEP = 10;

  private final RuleStore store;
  private final SignalStore signals;
  private final Clock clock;
  private final SecureRandom random;

  RulesController(RuleStore store, SignalStore signals, Clock clock) {
    this.store = store;
    this.signals = signals;
    this.clock = clock;
    this.random = new SecureRandom();
  }

  @GetMapping
  @Operation(summary = "Action codes that have rules or default outcomes")
  Mono<Map<String, Object>> actions() {
    return store.actionCodes().collectList().map(codes -> Map.of("actions", codes));
  }

  @GetMapping("/{action}")
  @Operation(summary = "An action's default outcomes and rules in evaluation order")
  Mono<Map<String, Object>> action(@PathVariable("action") String action) {
    String code = RuleRequests.actionCode(action);
    return Mono.zip(store.defaults(code), store.rules(code))
        .map(
            t -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("actionCode", code);
              out.put("defaultOutcomes", RuleRequests.view(t.getT1()));
              out.put("rules", RuleRequests.views(t.getT2()));
              return out;
            });
  }

  @PutMapping(path = "/{action}/defaults", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Set the default outcomes",
      description =
          "What an action gets when no rule matches: 'enrolled' for users with an authenticator"
              + " (built-in CHALLENGE), 'unenrolled' for users without (built-in ALLOW).")
  Mono<Map<String, Object>> putDefaults(
      @PathVariable("action") String action, @RequestBody Map<String, Object> body) {
    String code = RuleRequests.actionCode(action);
    return store.saveDefaults(RuleRequests.defaults(code, body)).map(RuleRequests::view);
  }

  @DeleteMapping("/{action}/defaults")
  @Operation(summary = "Return to the built-in default outcomes")
  Mono<Map<String, Object>> deleteDefaults(@PathVariable("action") String action) {
    String code = RuleRequests.actionCode(action);
    return store.deleteDefaults(code).thenReturn(RuleRequests.view(ActionDefaults.builtIn(code)));
  }

  @GetMapping("/{action}/rules")
  @Operation(summary = "The action's rules in evaluation order (ascending priority)")
  Mono<Map<String, Object>> rules(@PathVariable("action") String action) {
    String code = RuleRequests.actionCode(action);
    return store.rules(code).map(rules -> Map.of("rules", RuleRequests.views(rules)));
  }

  @PostMapping(path = "/{action}/rules", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Create a rule",
      description =
          "Body: name, description?, priority? (0-1000000, lower first; default: after the last"
              + " rule), enabled? (default true), outcome (ALLOW, BLOCK, CHALLENGE, REVIEW),"
              + " condition (see docs/rules-service.md).")
  Mono<Map<String, Object>> create(
      @PathVariable("action") String action, @RequestBody Map<String, Object> body) {
    String code = RuleRequests.actionCode(action);
    String id = "rul_" + HexFormat.of().formatHex(randomBytes(10));
    return store
        .rules(code)
        .map(
            existing ->
                RuleRequests.rule(
                    body,
                    id,
                    code,
                    existing.isEmpty()
                        ? PRIORITY_STEP
                        : Math.min(
                            RuleRequests.MAX_PRIORITY,
                            existing.get(existing.size() - 1).priority() + PRIORITY_STEP)))
        .flatMap(store::insert)
        .map(RuleRequests::view);
  }

  @GetMapping("/{action}/rules/{ruleId}")
  @Operation(summary = "One rule")
  Mono<Map<String, Object>> rule(
      @PathVariable("action") String action, @PathVariable("ruleId") String ruleId) {
    String code = RuleRequests.actionCode(action);
    return store
        .rule(code, RuleRequests.ruleId(ruleId))
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(RuleRequests::view);
  }

  @PutMapping(path = "/{action}/rules/{ruleId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Replace a rule (same body as create; priority kept when omitted)")
  Mono<Map<String, Object>> replace(
      @PathVariable("action") String action,
      @PathVariable("ruleId") String ruleId,
      @RequestBody Map<String, Object> body) {
    String code = RuleRequests.actionCode(action);
    String id = RuleRequests.ruleId(ruleId);
    return store
        .rule(code, id)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(existing -> RuleRequests.rule(body, id, code, existing.priority()))
        .flatMap(store::replace)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(RuleRequests::view);
  }

  @PatchMapping(path = "/{action}/rules/{ruleId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Enable, disable or reprioritise a rule: {enabled?, priority?}")
  Mono<Map<String, Object>> patch(
      @PathVariable("action") String action,
      @PathVariable("ruleId") String ruleId,
      @RequestBody Map<String, Object> body) {
    String code = RuleRequests.actionCode(action);
    String id = RuleRequests.ruleId(ruleId);
    RuleRequests.only(body, Set.of("enabled", "priority"), "");
    Object enabled = body.get("enabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      throw HttpErrorException.invalid("enabled must be a boolean.");
    }
    Integer priority = RuleRequests.priority(body.get("priority"), "priority");
    if (enabled == null && priority == null) {
      throw HttpErrorException.invalid("Send enabled, priority or both.");
    }
    return store
        .rule(code, id)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(
            r ->
                new Rule(
                    r.id(),
                    r.actionCode(),
                    r.name(),
                    r.description(),
                    priority == null ? r.priority() : priority,
                    enabled == null ? r.enabled() : (Boolean) enabled,
                    r.outcome(),
                    r.condition()))
        .flatMap(store::replace)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(RuleRequests::view);
  }

  @PutMapping(path = "/{action}/rules/order", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Reorder the rules",
      description =
          "Body {ruleIds:[...]} listing every rule of the action once, first to be tried first;"
              + " priorities become 10, 20, 30, ...")
  Mono<Map<String, Object>> order(
      @PathVariable("action") String action, @RequestBody Map<String, Object> body) {
    String code = RuleRequests.actionCode(action);
    RuleRequests.only(body, Set.of("ruleIds"), "");
    if (!(body.get("ruleIds") instanceof List<?> ids)
        || !ids.stream().allMatch(String.class::isInstance)) {
      throw HttpErrorException.invalid("ruleIds must be an array of rule ids.");
    }
    return store
        .rules(code)
        .flatMap(
            rules -> {
              Map<String, Rule> byId = new LinkedHashMap<>();
              rules.forEach(r -> byId.put(r.id(), r));
              if (ids.size() != byId.size()
                  || !new HashSet<>(ids).equals(byId.keySet())
                  || new HashSet<>(ids).size() != ids.size()) {
                return Mono.error(
                    HttpErrorException.invalid(
                        "ruleIds must list every rule of the action exactly once."));
              }
              List<Mono<Rule>> updates = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                Rule r = byId.get((String) ids.get(i));
                updates.add(
                    store.replace(
                        new Rule(
                            r.id(),
                            r.actionCode(),
                            r.name(),
                            r.description(),
                            (i + 1) * PRIORITY_STEP,
                            r.enabled(),
                            r.outcome(),
                            r.condition())));
              }
              return Mono.when(updates).then(store.rules(code));
            })
        .map(rules -> Map.of("rules", RuleRequests.views(rules)));
  }

  @DeleteMapping("/{action}/rules/{ruleId}")
  @Operation(summary = "Delete a rule")
  Mono<Map<String, Object>> delete(
      @PathVariable("action") String action, @PathVariable("ruleId") String ruleId) {
    String code = RuleRequests.actionCode(action);
    return store
        .delete(code, RuleRequests.ruleId(ruleId))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(Map.<String, Object>of("success", true))
                    : Mono.error(HttpErrorException.notFound("No such rule.")));
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
  Mono<Map<String, Object>> dryRun(
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
            RuleRequests.rule(ruleBody, "draft-" + (i + 1), code, (i + 1) * PRIORITY_STEP));
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
                explanation(
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

  private static Map<String, Object> explanation(Decision decision, Instant evaluatedAt) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("decision", decision.outcome().name());
    out.put("ruleIds", decision.ruleIds());
    out.put("defaultOutcome", decision.defaultOutcome());
    out.put("signals", decision.signals());
    out.put("evaluatedAt", evaluatedAt.toString());
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Decision.RuleTrace trace : decision.traces()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("ruleId", trace.rule().id());
      rule.put("name", trace.rule().name());
      rule.put("priority", trace.rule().priority());
      rule.put("enabled", trace.rule().enabled());
      rule.put("outcome", trace.rule().outcome().name());
      rule.put("evaluated", trace.evaluated());
      rule.put("matched", trace.matched());
      rule.put("explanation", trace.trace() == null ? null : view(trace.trace()));
      rules.add(rule);
    }
    out.put("rules", rules);
    return out;
  }

  private static Map<String, Object> view(Trace trace) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", trace.type());
    out.put("matched", trace.matched());
    out.put("detail", trace.detail());
    if (!trace.children().isEmpty()) {
      out.put("conditions", trace.children().stream().map(RulesController::view).toList());
    }
    return out;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
