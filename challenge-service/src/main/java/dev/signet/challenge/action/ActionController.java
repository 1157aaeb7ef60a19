package dev.signet.challenge.action;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.ui.HostedPageLinks;
import dev.signet.challenge.ui.RedirectUrls;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.platform.web.CorrelationId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Server API for tracked actions (docs/api.md): track, read one, change its state ({@code PATCH},
 * e.g. a review outcome), list a user's actions. Path ids arrive percent-decoded and are checked
 * here before anything is read or written.
 */
@RestController
class ActionController {

  /** The newest this many actions are listed. */
  static final int LIST_LIMIT = 100;

  /**
   * Optional precondition of {@code PATCH}: the state the caller decided on. Signet's own dashboard
   * sends {@code REVIEW_REQUIRED} with a review decision, so a decision taken on a stale queue
   * never overrides a state someone else set meanwhile (the SDKs never send it).
   */
  static final String EXPECTED_STATE = "X-Signet-Expected-State";

  /** The credential kind the server API's routes accept (security/SecurityConfiguration). */
  static final String API_SECRET = "API_SECRET";

  private static final Set<String> LIST_PARAMS = Set.of("fromDate", "codes", "state");

  private final ActionTracker tracker;
  private final ActionLifecycle lifecycle;
  private final TokenService tokens;
  private final ChallengeProperties properties;
  private final ActionStore store;
  private final HostedPageLinks pageLinks;
  private final RedirectUrls redirectUrls;

  ActionController(
      ActionTracker tracker,
      ActionLifecycle lifecycle,
      TokenService tokens,
      ChallengeProperties properties,
      ActionStore store,
      HostedPageLinks pageLinks,
      RedirectUrls redirectUrls) {
    this.tracker = tracker;
    this.lifecycle = lifecycle;
    this.tokens = tokens;
    this.properties = properties;
    this.store = store;
    this.pageLinks = pageLinks;
    this.redirectUrls = redirectUrls;
  }

  @PostMapping(
      path = "/v1/users/{userId}/actions/{action}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ActionViews.Tracked> track(
      @PathVariable String userId,
      @PathVariable String action,
      @RequestBody(required = false) ActionRequests.TrackRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId,
      ServerHttpRequest request) {
    TrackCommand parsed =
        ActionRequests.track(
            ActionRequests.userId(userId), ActionRequests.actionCode(action), body, correlationId);
    TrackCommand command = parsed.withRedirectUrl(redirectUrls.check(parsed.redirectUrl()));
    return tracker
        .track(command)
        .map(
            a -> {
              String token =
                  tokens.issue(
                      TokenKind.TRACK,
                      new TokenClaims(
                          a.userId(),
                          a.actionCode(),
                          a.idempotencyKey(),
                          a.scope(),
                          properties.tenantId()));
              String url =
                  pageLinks.url(a.state(), a.isEnrolled(), a.scope(), token, request.getURI());
              return ActionViews.tracked(a, token, url);
            });
  }

  @GetMapping(
      path = "/v1/users/{userId}/actions/{action}/{idempotencyKey}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ActionViews.ActionView> get(
      @PathVariable String userId,
      @PathVariable String action,
      @PathVariable String idempotencyKey) {
    String id =
        ActionStore.id(
            ActionRequests.userId(userId),
            ActionRequests.actionCode(action),
            ActionRequests.idempotencyKey(idempotencyKey));
    return tracker
        .awaitDecided(id)
        .switchIfEmpty(Mono.error(ActionController::notFound))
        .map(ActionViews::action);
  }

  @PatchMapping(
      path = "/v1/users/{userId}/actions/{action}/{idempotencyKey}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ActionViews.ActionView> update(
      @PathVariable String userId,
      @PathVariable String action,
      @PathVariable String idempotencyKey,
      @RequestBody ActionRequests.StateChange body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId,
      @RequestHeader(name = EXPECTED_STATE, required = false) String expectedState) {
    String user = ActionRequests.userId(userId);
    String code = ActionRequests.actionCode(action);
    String key = ActionRequests.idempotencyKey(idempotencyKey);
    if (body == null) {
      throw ApiException.invalid("state is required.");
    }
    ActionState target = ActionRequests.state(body.state(), "state");
    ActionState expected =
        expectedState == null ? null : ActionRequests.state(expectedState, EXPECTED_STATE);
    return tracker
        .awaitDecided(ActionStore.id(user, code, key))
        .switchIfEmpty(Mono.error(ActionController::notFound))
        .flatMap(
            current -> {
              if (current.state() == target) {
                return Mono.just(current); // a retried PATCH: nothing to change
              }
              if (expected != null && current.state() != expected) {
                // A caller that names the state it decides on (the dashboard's reviews) never
                // moves an action that has left it.
                return Mono.error(
                    ApiException.invalid(
                        "The action is in state "
                            + current.state()
                            + " and cannot move to "
                            + target
                            + "."));
              }
              // The server API holds the secret: any state of the enum, as Authsignal allows.
              return lifecycle
                  .transition(
                      user,
                      code,
                      key,
                      ActionChange.manual(current.state(), target, API_SECRET),
                      correlationId)
                  .flatMap(transition -> outcome(transition, target));
            })
        .map(ActionViews::action);
  }

  @GetMapping(path = "/v1/users/{userId}/actions", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<List<ActionViews.Listed>> list(@PathVariable String userId, ServerHttpRequest request) {
    String user = ActionRequests.userId(userId);
    MultiValueMap<String, String> params = request.getQueryParams();
    for (String name : LIST_PARAMS) {
      List<String> values = params.get(name);
      if (values != null && values.size() > 1) {
        throw ApiException.invalid(name + " must be given at most once.");
      }
    }
    Instant from = ActionRequests.fromDate(params.getFirst("fromDate"));
    List<String> codes = ActionRequests.codes(params.getFirst("codes"));
    String stateText = params.getFirst("state");
    ActionState state =
        stateText == null || stateText.isEmpty() ? null : ActionRequests.state(stateText, "state");
    return store
        .list(user, from, codes, state, LIST_LIMIT)
        // An action still awaiting its decision is listed once it has a state; one left waiting
        // by a dead instance gets its fallback here.
        .concatMap(
            a ->
                !a.deciding()
                    ? Mono.just(a)
                    : tracker.stale(a) ? tracker.awaitDecided(a.id()) : Mono.<Action>empty())
        .filter(a -> a.state() != null && (state == null || a.state() == state))
        .map(ActionViews::listed)
        .collectList();
  }

  private static Mono<Action> outcome(Transition transition, ActionState target) {
    if (transition instanceof Transition.Moved moved) {
      return Mono.just(moved.action());
    }
    Transition.Refused refused = (Transition.Refused) transition;
    if (refused.current().isEmpty()) {
      return Mono.error(notFound());
    }
    Action current = refused.current().get();
    if (current.state() == target) {
      return Mono.just(current); // a concurrent PATCH made the same change
    }
    return Mono.error(
        ApiException.invalid(
            "The action is in state " + current.state() + " and cannot move to " + target + "."));
  }

  private static ApiException notFound() {
    return new ApiException(ApiError.NOT_FOUND, "The action was not found.");
  }
}
