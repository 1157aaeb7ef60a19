package dev.signet.audit.query;

import com.mongodb.client.model.Filters;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.audit.lag.ViewLag;
import dev.signet.audit.view.ActionViewUpdates;
import dev.signet.audit.view.AggregateBuilder;
import dev.signet.audit.view.ChallengeRanks;
import dev.signet.audit.view.ViewCollections;
import dev.signet.audit.web.ManagementException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The query API over the views: activities (user timelines), challenges, actions, aggregates and
 * the views' lag. Read-only, authenticated with the management secret, paged newest first with
 * opaque cursors. Every bad parameter is a documented 400.
 */
@RestController
@RequestMapping(path = "/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Audit", description = "Activity views: timelines, challenges, actions, aggregates")
@SecurityRequirement(name = "managementSecret")
@ApiResponse(
    responseCode = "400",
    description =
        "Bad parameter: {\"error\":\"invalid_request\",\"errorCode\":\"invalid_request\","
            + "\"errorDescription\":\"...\"} (unknown or"
            + " repeated parameter, bad enum value, malformed date, limit or cursor, bad phone)",
    content = @Content(schema = @Schema(implementation = QueryController.ErrorBody.class)))
@ApiResponse(
    responseCode = "401",
    description = "Missing or wrong management secret: {\"error\":\"unauthorized\",...}",
    content = @Content(schema = @Schema(implementation = QueryController.ErrorBody.class)))
class QueryController {

  /** The error body of every non-2xx answer ({@code errorCode} repeats {@code error}). */
  record ErrorBody(String error, String errorCode, String errorDescription) {}

  static final List<String> CATEGORIES =
      List.of("CHALLENGE", "ACTION", "AUTHENTICATOR", "USER", "SMS", "POLICY");
  static final List<String> OUTCOMES = List.of("SUCCESS", "FAILURE", "BLOCKED", "PENDING", "INFO");
  static final List<String> ACTION_STATES =
      List.of(
          "ALLOW",
          "BLOCK",
          "CHALLENGE_REQUIRED",
          "CHALLENGE_SUCCEEDED",
          "CHALLENGE_FAILED",
          "REVIEW_REQUIRED",
          "REVIEW_SUCCEEDED",
          "REVIEW_FAILED");
  static final List<String> DECISIONS = List.of("ALLOW", "BLOCK", "CHALLENGE", "REVIEW");
  static final int MAX_AGGREGATE_ROWS = 5000;

  private static final Set<String> ACTIVITY_PARAMS =
      Set.of(
          "userId",
          "phone",
          "challengeId",
          "action",
          "type",
          "category",
          "outcome",
          "from",
          "to",
          "limit",
          "cursor");
  private static final Set<String> TIMELINE_PARAMS =
      Set.of("type", "category", "outcome", "from", "to", "limit", "cursor");
  private static final Set<String> CHALLENGE_PARAMS =
      Set.of(
          "userId",
          "phone",
          "action",
          "state",
          "delivery",
          "country",
          "from",
          "to",
          "limit",
          "cursor");
  private static final Set<String> ACTION_PARAMS =
      Set.of("userId", "action", "state", "decision", "from", "to", "limit", "cursor");
  private static final Set<String> AGGREGATE_PARAMS =
      Set.of("granularity", "from", "to", "country", "action", "groupBy");

  private final ViewReader reader;
  private final PhoneHasher phones;
  private final ViewLag lag;
  private final AggregateBuilder aggregates;
  private final Clock clock;

  QueryController(
      ViewReader reader,
      PhoneHasher phones,
      ViewLag lag,
      AggregateBuilder aggregates,
      Clock clock) {
    this.reader = reader;
    this.phones = phones;
    this.lag = lag;
    this.aggregates = aggregates;
    this.clock = clock;
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
  Mono<Responses.ActivityPage> activities(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, ACTIVITY_PARAMS);
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
  Mono<Responses.ActivityPage> timeline(
      @PathVariable("userId") String userId,
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, TIMELINE_PARAMS);
    checkId("userId", userId);
    return activityPage(p, userId);
  }

  private Mono<Responses.ActivityPage> activityPage(QueryParams p, String userId) {
    List<Bson> filters = new ArrayList<>();
    eq(filters, "userId", userId);
    eq(filters, "challengeId", p.text("challengeId"));
    eq(filters, "actionCode", p.text("action"));
    eq(filters, "type", p.oneOf("type", ActivityTypes.ALL));
    eq(filters, "category", p.oneOf("category", CATEGORIES));
    eq(filters, "outcome", p.oneOf("outcome", OUTCOMES));
    range(filters, "occurredAt", p);
    int limit = p.limit();
    Cursor cursor = p.cursor("activities");
    String phoneHash = phoneHash(p);
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
                new Responses.ActivityPage(
                    page.items().stream().map(ViewMapper::activity).toList(),
                    page.more() ? next("activities", page.items(), "occurredAt") : null,
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
  Mono<Responses.ChallengePage> challenges(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, CHALLENGE_PARAMS);
    List<Bson> filters = new ArrayList<>();
    eq(filters, "userId", p.text("userId"));
    eq(filters, "action", p.text("action"));
    String state = p.oneOf("state", ChallengeRanks.OUTCOMES);
    if (state != null) {
      filters.add(Filters.eq("outcomeRank", ChallengeRanks.OUTCOMES.indexOf(state)));
    }
    String delivery = p.oneOf("delivery", ChallengeRanks.DELIVERIES);
    if (delivery != null) {
      filters.add(Filters.eq("deliveryRank", ChallengeRanks.DELIVERIES.indexOf(delivery)));
    }
    eq(filters, "countryCode", p.text("country"));
    eq(filters, "phoneHash", phoneHash(p));
    range(filters, "createdAt", p);
    int limit = p.limit();
    Cursor cursor = p.cursor("challenges");
    return reader
        .page(ViewCollections.CHALLENGES, filters, "createdAt", cursor, limit)
        .map(
            page ->
                new Responses.ChallengePage(
                    page.items().stream().map(ViewMapper::challenge).toList(),
                    page.more() ? next("challenges", page.items(), "createdAt") : null,
                    limit));
  }

  @GetMapping("/challenges/{challengeId}")
  @Operation(
      summary = "One challenge: request → dispatch → delivery → verification",
      description = "404 not_found when no event of the challenge has been recorded.")
  @ApiResponse(responseCode = "404", description = "{\"error\":\"not_found\",...}")
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<Responses.ChallengeView> challenge(@PathVariable("challengeId") String challengeId) {
    checkId("challengeId", challengeId);
    return reader
        .byId(ViewCollections.CHALLENGES, challengeId)
        .map(ViewMapper::challenge)
        .switchIfEmpty(
            Mono.error(
                () -> ManagementException.notFound("No challenge with this id is recorded.")));
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
  Mono<Responses.ActionPage> actions(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, ACTION_PARAMS);
    List<Bson> filters = new ArrayList<>();
    eq(filters, "userId", p.text("userId"));
    eq(filters, "actionCode", p.text("action"));
    eq(filters, "state", p.oneOf("state", ACTION_STATES));
    eq(filters, "decision", p.oneOf("decision", DECISIONS));
    range(filters, "createdAt", p);
    int limit = p.limit();
    Cursor cursor = p.cursor("actions");
    return reader
        .page(ViewCollections.ACTIONS, filters, "createdAt", cursor, limit)
        .map(
            page ->
                new Responses.ActionPage(
                    page.items().stream().map(ViewMapper::action).toList(),
                    page.more() ? next("actions", page.items(), "createdAt") : null,
                    limit));
  }

  @GetMapping("/users/{userId}/actions/{actionCode}/{idempotencyKey}")
  @Operation(summary = "One tracked action with its decision, state changes and reviews")
  @ApiResponse(responseCode = "404", description = "{\"error\":\"not_found\",...}")
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<Responses.ActionView> action(
      @PathVariable("userId") String userId,
      @PathVariable("actionCode") String actionCode,
      @PathVariable("idempotencyKey") String idempotencyKey) {
    checkId("userId", userId);
    checkId("actionCode", actionCode);
    checkId("idempotencyKey", idempotencyKey);
    return reader
        .byId(
            ViewCollections.ACTIONS, ActionViewUpdates.actionId(userId, actionCode, idempotencyKey))
        .map(ViewMapper::action)
        .switchIfEmpty(
            Mono.error(() -> ManagementException.notFound("No action with this key is recorded.")));
  }

  @GetMapping("/aggregates")
  @Operation(
      summary = "Time-bucketed figures by country and action",
      description =
          "granularity: hour (default) or day. from/to: ISO-8601 instants (default: the last 24"
              + " hours for hour, the last 30 days for day; at most 31 days of hours or 400 days of"
              + " days). country and action: a value, or * (default) for all. groupBy=country"
              + " returns one row per country (for the action filter), groupBy=action one row per"
              + " action. Buckets hold the challenges requested in them (a cohort), so"
              + " conversionRate = verifications / challenges and deliveryRate = deliveries /"
              + " sends; p50/p95 are send-to-delivery times of delivered sends.",
      parameters = {
        @Parameter(name = "granularity", in = ParameterIn.QUERY),
        @Parameter(name = "from", in = ParameterIn.QUERY),
        @Parameter(name = "to", in = ParameterIn.QUERY),
        @Parameter(name = "country", in = ParameterIn.QUERY),
        @Parameter(name = "action", in = ParameterIn.QUERY),
        @Parameter(name = "groupBy", in = ParameterIn.QUERY)
      })
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<Responses.AggregatePage> aggregates(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, AGGREGATE_PARAMS);
    String granularity = p.oneOf("granularity", List.of("hour", "day"));
    if (granularity == null) {
      granularity = "hour";
    }
    ChronoUnit unit = granularity.equals("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
    Duration maxRange = granularity.equals("hour") ? Duration.ofDays(31) : Duration.ofDays(400);
    Instant now = clock.instant();
    Instant to = p.instant("to");
    Instant from = p.instant("from");
    if (to == null) {
      to = now.truncatedTo(unit).plus(1, unit);
    }
    if (from == null) {
      from = to.minus(granularity.equals("hour") ? Duration.ofHours(24) : Duration.ofDays(30));
    }
    QueryParams.checkRange(from, to);
    if (Duration.between(from, to).compareTo(maxRange) > 0) {
      throw ManagementException.invalid(
          "The range from..to may span at most "
              + maxRange.toDays()
              + " days at granularity "
              + granularity
              + ".");
    }
    String groupBy = p.oneOf("groupBy", List.of("country", "action"));
    String country = p.text("country") == null ? AggregateBuilder.ALL : p.text("country");
    String action = p.text("action") == null ? AggregateBuilder.ALL : p.text("action");
    Bson countryFilter =
        "country".equals(groupBy)
            ? Filters.ne("countryCode", AggregateBuilder.ALL)
            : Filters.eq("countryCode", country);
    Bson actionFilter =
        "action".equals(groupBy)
            ? Filters.ne("action", AggregateBuilder.ALL)
            : Filters.eq("action", action);
    String g = granularity;
    Instant f = from.truncatedTo(unit);
    Instant t = to;
    return reader
        .aggregates(g, f, t, countryFilter, actionFilter, MAX_AGGREGATE_ROWS)
        .map(
            rows ->
                new Responses.AggregatePage(
                    g,
                    f,
                    t,
                    rows.stream().limit(MAX_AGGREGATE_ROWS).map(ViewMapper::aggregate).toList(),
                    rows.size() > MAX_AGGREGATE_ROWS));
  }

  @GetMapping("/lag")
  @Operation(
      summary = "How far behind the views are",
      description =
          "Per consumed topic: consumer lag in records, the newest event applied and its age."
              + " viewLag: Kafka record timestamp to view written over the last minute."
              + " pendingPublications: activities not yet on auth.audit.activity.v1.")
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<Responses.LagReport> lag() {
    return reader
        .pendingPublications()
        .map(
            pending ->
                new Responses.LagReport(
                    clock.instant(),
                    lag.topics().stream()
                        .map(
                            t ->
                                new Responses.TopicLagItem(
                                    t.topic(),
                                    t.consumerLag(),
                                    t.newestEventAt(),
                                    t.newestEventAgeSeconds(),
                                    t.lastAppliedAt(),
                                    t.applied()))
                        .toList(),
                    lag.viewLagSummary(),
                    pending,
                    aggregates.idle()));
  }

  @GetMapping("/activity-types")
  @Operation(summary = "The stable activity type names")
  @ApiResponse(responseCode = "200", description = "OK")
  Mono<Map<String, List<String>>> activityTypes() {
    return Mono.just(Map.of("types", ActivityTypes.ALL));
  }

  private String phoneHash(QueryParams p) {
    String phone = p.text("phone");
    if (phone == null) {
      return null;
    }
    return PhoneHasher.normalise(phone)
        .map(phones::hash)
        .orElseThrow(
            () ->
                ManagementException.invalid(
                    "Query parameter 'phone' must be an international phone number with its"
                        + " country code, such as +447700900001."));
  }

  private static String next(String kind, List<org.bson.Document> items, String timeField) {
    org.bson.Document last = items.get(items.size() - 1);
    Date at = last.getDate(timeField);
    return new Cursor(kind, at == null ? Instant.EPOCH : at.toInstant(), last.getString("_id"))
        .encode();
  }

  private static void eq(List<Bson> filters, String field, String value) {
    if (value != null) {
      filters.add(Filters.eq(field, value));
    }
  }

  private static void range(List<Bson> filters, String field, QueryParams p) {
    Instant from = p.instant("from");
    Instant to = p.instant("to");
    QueryParams.checkRange(from, to);
    if (from != null) {
      filters.add(Filters.gte(field, Date.from(from)));
    }
    if (to != null) {
      filters.add(Filters.lt(field, Date.from(to)));
    }
  }

  private static void checkId(String name, String value) {
    if (value.length() > QueryParams.MAX_VALUE_LENGTH) {
      throw ManagementException.invalid(
          name + " is longer than " + QueryParams.MAX_VALUE_LENGTH + " characters.");
    }
  }
}
