package dev.signet.rules.management;

import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Rule;
import dev.signet.rules.management.RuleRequests.DefaultsBody;
import dev.signet.rules.management.RuleRequests.RuleBody;
import dev.signet.rules.management.RuleRequests.RuleOrder;
import dev.signet.rules.management.RuleRequests.RulePatch;
import dev.signet.rules.management.RuleViews.ActionList;
import dev.signet.rules.management.RuleViews.ActionView;
import dev.signet.rules.management.RuleViews.DefaultsView;
import dev.signet.rules.management.RuleViews.Deleted;
import dev.signet.rules.management.RuleViews.RuleList;
import dev.signet.rules.management.RuleViews.RuleView;
import dev.signet.rules.store.RuleStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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

/**
 * The rules management API: rules per action (create, replace, enable/disable, reprioritise,
 * delete, list) and the action's default outcomes ({@link DryRunController} explains a decision).
 * Changes are written to MongoDB and apply to the next decision of every instance.
 */
@RestController
@RequestMapping(path = "/v1/management/actions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Rules", description = "Rules per action, default outcomes and dry runs")
@SecurityRequirement(name = "managementSecret")
class RulesController {

  static final int PRIORITY_STEP = 10;

  private final RuleStore store;
  private final Clock clock;
  private final SecureRandom random;

  RulesController(RuleStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.random = new SecureRandom();
  }

  @GetMapping
  @Operation(summary = "Action codes that have rules or default outcomes")
  Mono<ActionList> actions() {
    return store.actionCodes().collectList().map(ActionList::new);
  }

  @GetMapping("/{action}")
  @Operation(summary = "An action's default outcomes and rules in evaluation order")
  Mono<ActionView> action(@PathVariable("action") String action) {
    String code = RuleRequests.actionCode(action);
    return Mono.zip(store.defaults(code), store.rules(code))
        .map(t -> new ActionView(code, DefaultsView.of(t.getT1()), RuleList.of(t.getT2()).rules()));
  }

  @PutMapping(path = "/{action}/defaults", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Set the default outcomes",
      description =
          "What an action gets when no rule matches: 'enrolled' for users with an authenticator"
              + " (built-in CHALLENGE), 'unenrolled' for users without (built-in ALLOW).")
  Mono<DefaultsView> putDefaults(
      @PathVariable("action") String action, @RequestBody DefaultsBody body) {
    String code = RuleRequests.actionCode(action);
    return store.saveDefaults(body.toDefaults(code)).map(DefaultsView::of);
  }

  @DeleteMapping("/{action}/defaults")
  @Operation(summary = "Return to the built-in default outcomes")
  Mono<DefaultsView> deleteDefaults(@PathVariable("action") String action) {
    String code = RuleRequests.actionCode(action);
    return store.deleteDefaults(code).thenReturn(DefaultsView.of(ActionDefaults.builtIn(code)));
  }

  @GetMapping("/{action}/rules")
  @Operation(summary = "The action's rules in evaluation order (ascending priority)")
  Mono<RuleList> rules(@PathVariable("action") String action) {
    String code = RuleRequests.actionCode(action);
    return store.rules(code).map(RuleList::of);
  }

  @PostMapping(path = "/{action}/rules", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Create a rule",
      description =
          "Body: name, description?, priority? (0-1000000, lower first; default: after the last"
              + " rule), enabled? (default true), outcome (ALLOW, BLOCK, CHALLENGE, REVIEW),"
              + " condition (see docs/rules-service.md).")
  Mono<RuleView> create(@PathVariable("action") String action, @RequestBody RuleBody body) {
    String code = RuleRequests.actionCode(action);
    String id = "rul_" + HexFormat.of().formatHex(randomBytes(10));
    return store
        .rules(code)
        .map(
            existing ->
                body.toRule(
                    id,
                    code,
                    existing.isEmpty()
                        ? PRIORITY_STEP
                        : Math.min(
                            BodyFields.MAX_PRIORITY,
                            existing.get(existing.size() - 1).priority() + PRIORITY_STEP)))
        .flatMap(store::insert)
        .map(RuleView::of);
  }

  @GetMapping("/{action}/rules/{ruleId}")
  @Operation(summary = "One rule")
  Mono<RuleView> rule(
      @PathVariable("action") String action, @PathVariable("ruleId") String ruleId) {
    String code = RuleRequests.actionCode(action);
    return store
        .rule(code, RuleRequests.ruleId(ruleId))
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(RuleView::of);
  }

  @PutMapping(path = "/{action}/rules/{ruleId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Replace a rule (same body as create; priority kept when omitted)")
  Mono<RuleView> replace(
      @PathVariable("action") String action,
      @PathVariable("ruleId") String ruleId,
      @RequestBody RuleBody body) {
    String code = RuleRequests.actionCode(action);
    String id = RuleRequests.ruleId(ruleId);
    return store
        .rule(code, id)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(existing -> body.toRule(id, code, existing.priority()))
        .flatMap(store::replace)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(RuleView::of);
  }

  @PatchMapping(path = "/{action}/rules/{ruleId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Enable, disable or reprioritise a rule: {enabled?, priority?}")
  Mono<RuleView> patch(
      @PathVariable("action") String action,
      @PathVariable("ruleId") String ruleId,
      @RequestBody RulePatch body) {
    String code = RuleRequests.actionCode(action);
    String id = RuleRequests.ruleId(ruleId);
    RulePatch.Change change = body.toChange();
    return store
        .rule(code, id)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(change::applyTo)
        .flatMap(store::replace)
        .switchIfEmpty(Mono.error(() -> HttpErrorException.notFound("No such rule.")))
        .map(RuleView::of);
  }

  @PutMapping(path = "/{action}/rules/order", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Reorder the rules",
      description =
          "Body {ruleIds:[...]} listing every rule of the action once, first to be tried first;"
              + " priorities become 10, 20, 30, ...")
  Mono<RuleList> order(@PathVariable("action") String action, @RequestBody RuleOrder body) {
    String code = RuleRequests.actionCode(action);
    List<String> ids = body.toIds();
    return store
        .rules(code)
        .flatMap(
            rules -> {
              RuleOrder.check(ids, rules);
              Map<String, Rule> byId = new HashMap<>();
              rules.forEach(r -> byId.put(r.id(), r));
              List<Mono<Rule>> updates = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                Rule r = byId.get(ids.get(i));
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
        .map(RuleList::of);
  }

  @DeleteMapping("/{action}/rules/{ruleId}")
  @Operation(summary = "Delete a rule")
  Mono<Deleted> delete(
      @PathVariable("action") String action, @PathVariable("ruleId") String ruleId) {
    String code = RuleRequests.actionCode(action);
    return store
        .delete(code, RuleRequests.ruleId(ruleId))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(new Deleted(true))
                    : Mono.error(HttpErrorException.notFound("No such rule.")));
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
