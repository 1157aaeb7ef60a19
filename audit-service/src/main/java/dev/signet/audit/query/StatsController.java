package dev.signet.audit.query;

import com.mongodb.client.model.Filters;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.lag.ViewLag;
import dev.signet.audit.view.AggregateBuilder;
import dev.signet.platform.web.HttpErrorException;
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
import java.util.List;
import org.bson.conversions.Bson;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The query API's figures: time-bucketed aggregates, how far behind the views are, and the activity
 * type names. Read-only, authenticated like the views ({@link QueryController}).
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
class StatsController {

  private static final int MAX_AGGREGATE_ROWS = 5000;

  private final ViewReader reader;
  private final ViewLag lag;
  private final AggregateBuilder aggregates;
  private final Clock clock;

  StatsController(ViewReader reader, ViewLag lag, AggregateBuilder aggregates, Clock clock) {
    this.reader = reader;
    this.lag = lag;
    this.aggregates = aggregates;
    this.clock = clock;
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
  Mono<AggregatePage> aggregates(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    QueryParams p = QueryParams.of(query, QueryApi.AGGREGATE_PARAMS);
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
      throw HttpErrorException.invalid(
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
                new AggregatePage(
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
  Mono<LagReport> lag() {
    return reader
        .pendingPublications()
        .map(
            pending ->
                new LagReport(
                    clock.instant(),
                    lag.topics().stream()
                        .map(
                            t ->
                                new TopicLagItem(
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
  Mono<TypeList> activityTypes() {
    return Mono.just(new TypeList(ActivityTypes.ALL));
  }

  /** The stable activity type names: {@code {types:[...]}}. */
  record TypeList(List<String> types) {}
}
