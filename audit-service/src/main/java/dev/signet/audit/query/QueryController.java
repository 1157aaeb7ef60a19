package dev.signet.audit.query;

import com.mongodb.client.model.Filters;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.audit.config.AuditProperties;
import dev.signet.audit.view.ActionViewUpdates;
import dev.signet.audit.view.ChallengeRanks;
import dev.signet.audit.view.ViewCollections;
import dev.signet.platform.web.HttpErrorException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.bson.conversions.Bson;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The query API over the views: activities (user timelines), challenges and actions. Read-only,
 * authenticated with the management secret, paged newest first with opaque cursors. Every bad
 * parameter is a documented 400.
 */
@RestController
@RequestMapping(path = "/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Audit", description = QueryApi.TAG)
@SecurityRequirement(name = "managementSecret")
@ApiResponse(
    responseCode = "400",
    description = QueryApi.BAD_REQUEST,
    content = @Content(schema = @Schema(implementation = QueryApi.ErrorBody.class)))
@ApiResponse(
    responseCode = "401",
    description = QueryApi.UNAUTHORIZED,
    content = @Content(schema = @Schema(implementation = QueryApi.ErrorBody.class)))
class QueryController {

  private final ViewReader reader;
  private final PhoneHasher phones;
  private final String traceUrl;

  QueryController(ViewReader reader, PhoneHasher phones, AuditProperties properties) {
    this.reader = reader;
    this.phones = phones;
    this.traceUrl = properties.traceUrl();
  }

  @GetMapping("/activities")
  @Operation(
      summary = "Search activities (newest first)",
      description =
          "Filters combine with AND. phone: an international number in any common notation"
              + " (+44 7700 900001); it is normalised to E.164 and matched on a keyed hash, and finds"
              + " the challenges sent to it and their SMS, receipts and verifications. from/to:"
              + " ISO-8601 instants on occurredAt (from inclusive, to exclusive). limit: 1-200"
              + " (default 50; larger values are capped at 200).",
      parameters = {
        @Parameter(name = "userId", in = ParameterIn.QUERY),
        @Parameter(name = "phone", in = ParameterIn.QUERY),
        @Parameter(name = "challengeId", in = ParameterIn.QUERY),
        @Parameter(name = "action", in = ParameterIn.QUERY, description = "Action code"),
        @Parameter(name = "type", in = ParameterIn.QUERY, description = "Activity type"),
        @Parameter(name = "category", in = ParameterIn.QUERY),
        @Parameter(name = "outcome", in = ParameterIn.QUERY),
        @Parameter(name = "from", in = ParameterIn.QUERY),
        @Parameter(name = "to", in = ParameterIn.QUERY),
        @Parameter(name = "limit", in = ParameterIn.QUERY),
        @Parameter(name = "cursor", in = ParameterIn.QUERY)
      })
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<ActivityPage> activities(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, QueryApi.ACTIVITY_PARAMS);
    return activityPage(p, p.text("userId"));
  }

  @GetMapping("/users/{userId}/timeline")
  @Operation(
      summary = "A user's timeline (newest first)",
      description =
          "Everything recorded for the user: actions and their state changes with the rules that"
              + " fired, challenges, sends, delivery receipts, verification attempts, claims,"
              + " enrolments, removals and blocks. Same item shape and paging as /activities.",
      parameters = {
        @Parameter(name = "type", in = ParameterIn.QUERY),
        @Parameter(name = "category", in = ParameterIn.QUERY),
        @Parameter(name = "outcome", in = ParameterIn.QUERY),
        @Parameter(name = "from", in = ParameterIn.QUERY),
        @Parameter(name = "to", in = ParameterIn.QUERY),
        @Parameter(name = "limit", in = ParameterIn.QUERY),
        @Parameter(name = "cursor", in = ParameterIn.QUERY)
      })
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<ActivityPage> timeline(
      @PathVariable("userId") String userId,
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, QueryApi.TIMELINE_PARAMS);
    QueryApi.checkId("userId", userId);
    return activityPage(p, userId);
  }

  private Mono<ActivityPage> activityPage(QueryParams p, String userId) {
    List<Bson> filters = new ArrayList<>();
    QueryApi.eq(filters, "userId", userId);
    QueryApi.eq(filters, "challengeId", p.text("challengeId"));
    QueryApi.eq(filters, "actionCode", p.text("action"));
    QueryApi.eq(filters, "type", p.oneOf("type", ActivityTypes.ALL));
    QueryApi.eq(filters, "category", p.oneOf("category", QueryApi.CATEGORIES));
    QueryApi.eq(filters, "outcome", p.oneOf("outcome", QueryApi.OUTCOMES));
    QueryApi.range(filters, "occurredAt", p);
    int limit = p.limit();
    Cursor cursor = p.cursor("activities");
    String phoneHash = QueryApi.phoneHash(phones, p);
    Mono<List<Bson>> all =
        phoneHash == null
            ? Mono.just(filters)
            : reader
                .challengeIdsByPhone(phoneHash)
                .map(
                    ids -> {
                      List<Bson> with = new ArrayList<>(filters);
                      with.add(
                          ids.isEmpty()
                              ? Filters.eq("phoneHash", phoneHash)
                              : Filters.or(
                                  Filters.eq("phoneHash", phoneHash),
                                  Filters.in("challengeId", ids)));
                      return with;
                    });
    return all.flatMap(f -> reader.page(ViewCollections.ACTIVITIES, f, "occurredAt", cursor, limit))
        .map(
            page ->
                new ActivityPage(
                    QueryApi.items(page, ViewMapper::activity),
                    QueryApi.nextCursor(page, "activities", "occurredAt"),
                    limit));
  }

  @GetMapping("/challenges")
  @Operation(
      summary = "Search challenges (newest first)",
      description =
          "state: PENDING, EXPIRED, FAILED (verification attempts exhausted), VERIFIED, CLAIMED."
              + " delivery: NONE, BLOCKED, FAILED, SENT, DELIVERED. country: region code (GB)."
              + " from/to on the challenge's first event time. Items are full challenge views.",
      parameters = {
        @Parameter(name = "userId", in = ParameterIn.QUERY),
        @Parameter(name = "phone", in = ParameterIn.QUERY),
        @Parameter(name = "action", in = ParameterIn.QUERY),
        @Parameter(name = "state", in = ParameterIn.QUERY),
        @Parameter(name = "delivery", in = ParameterIn.QUERY),
        @Parameter(name = "country", in = ParameterIn.QUERY),
        @Parameter(name = "from", in = ParameterIn.QUERY),
        @Parameter(name = "to", in = ParameterIn.QUERY),
        @Parameter(name = "limit", in = ParameterIn.QUERY),
        @Parameter(name = "cursor", in = ParameterIn.QUERY)
      })
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<ChallengePage> challenges(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, QueryApi.CHALLENGE_PARAMS);
    List<Bson> filters = new ArrayList<>();
    QueryApi.eq(filters, "userId", p.text("userId"));
    QueryApi.eq(filters, "action", p.text("action"));
    String state = p.oneOf("state", ChallengeRanks.OUTCOMES);
    if (state != null) {
      filters.add(Filters.eq("outcomeRank", ChallengeRanks.OUTCOMES.indexOf(state)));
    }
    String delivery = p.oneOf("delivery", ChallengeRanks.DELIVERIES);
    if (delivery != null) {
      filters.add(Filters.eq("deliveryRank", ChallengeRanks.DELIVERIES.indexOf(delivery)));
    }
    QueryApi.eq(filters, "countryCode", p.text("country"));
    QueryApi.eq(filters, "phoneHash", QueryApi.phoneHash(phones, p));
    QueryApi.range(filters, "createdAt", p);
    int limit = p.limit();
    Cursor cursor = p.cursor("challenges");
    return reader
        .page(ViewCollections.CHALLENGES, filters, "createdAt", cursor, limit)
        .map(
            page ->
                new ChallengePage(
                    QueryApi.items(page, d -> ViewMapper.challenge(d, traceUrl)),
                    QueryApi.nextCursor(page, "challenges", "createdAt"),
                    limit));
  }

  @GetMapping("/challenges/{challengeId}")
  @Operation(
      summary = "One challenge: request → dispatch → delivery → verification",
      description = "404 not_found when no event of the challenge has been recorded.")
  @ApiResponse(responseCode = "404", description = "{\"error\":\"not_found\",...}")
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<ChallengeView> challenge(@PathVariable("challengeId") String challengeId) {
    QueryApi.checkId("challengeId", challengeId);
    return reader
        .byId(ViewCollections.CHALLENGES, challengeId)
        .map(d -> ViewMapper.challenge(d, traceUrl))
        .switchIfEmpty(
            Mono.error(
                () -> HttpErrorException.notFound("No challenge with this id is recorded.")));
  }

  @GetMapping("/actions")
  @Operation(
      summary = "Search tracked actions (newest first)",
      description =
          "state: the action's current state, e.g. REVIEW_REQUIRED for the review queue."
              + " decision: the rules' decision. from/to on the action's first event time.",
      parameters = {
        @Parameter(name = "userId", in = ParameterIn.QUERY),
        @Parameter(name = "action", in = ParameterIn.QUERY, description = "Action code"),
        @Parameter(name = "state", in = ParameterIn.QUERY),
        @Parameter(name = "decision", in = ParameterIn.QUERY),
        @Parameter(name = "from", in = ParameterIn.QUERY),
        @Parameter(name = "to", in = ParameterIn.QUERY),
        @Parameter(name = "limit", in = ParameterIn.QUERY),
        @Parameter(name = "cursor", in = ParameterIn.QUERY)
      })
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<ActionPage> actions(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, QueryApi.ACTION_PARAMS);
    List<Bson> filters = new ArrayList<>();
    QueryApi.eq(filters, "userId", p.text("userId"));
    QueryApi.eq(filters, "actionCode", p.text("action"));
    QueryApi.eq(filters, "state", p.oneOf("state", QueryApi.ACTION_STATES));
    QueryApi.eq(filters, "decision", p.oneOf("decision", QueryApi.DECISIONS));
    QueryApi.range(filters, "createdAt", p);
    int limit = p.limit();
    Cursor cursor = p.cursor("actions");
    return reader
        .page(ViewCollections.ACTIONS, filters, "createdAt", cursor, limit)
        .map(
            page ->
                new ActionPage(
                    QueryApi.items(page, ViewMapper::action),
                    QueryApi.nextCursor(page, "actions", "createdAt"),
                    limit));
  }

  @GetMapping("/users/{userId}/actions/{actionCode}/{idempotencyKey}")
  @Operation(summary = "One tracked action with its decision, state changes and reviews")
  @ApiResponse(responseCode = "404", description = "{\"error\":\"not_found\",...}")
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<ActionView> action(
      @PathVariable("userId") String userId,
      @PathVariable("actionCode") String actionCode,
      @PathVariable("idempotencyKey") String idempotencyKey) {
    QueryApi.checkId("userId", userId);
    QueryApi.checkId("actionCode", actionCode);
    QueryApi.checkId("idempotencyKey", idempotencyKey);
    return reader
        .byId(
            ViewCollections.ACTIONS, ActionViewUpdates.actionId(userId, actionCode, idempotencyKey))
        .map(ViewMapper::action)
        .switchIfEmpty(
            Mono.error(() -> HttpErrorException.notFound("No action with this key is recorded.")));
  }
}
