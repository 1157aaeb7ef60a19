package dev.signet.audit.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Review decisions taken in the dashboard: each one is sent to challenge-service as {@code PATCH
 * /v1/users/{userId}/actions/{action}/{idempotencyKey} {state}} with the API secret (the action
 * lifecycle, its conditional update and its state-changed event stay challenge-service's), and,
 * once challenge-service has accepted it, recorded in {@code dashboard_reviews} with the operator
 * and the time. One record per action: the first accepted decision is kept, so a second operator
 * repeating the same decision (challenge-service answers a repeated PATCH with the same state) sees
 * who decided first; a contrary decision is refused by challenge-service (the PATCH names the state
 * decided on, {@code X-Signet-Expected-State: REVIEW_REQUIRED}) and shown as such.
 */
final class ReviewDecisions {

  static final String COLLECTION = "dashboard_reviews";

  private static final Logger log = LoggerFactory.getLogger(ReviewDecisions.class);

  /** An accepted decision: the action's state after it, who decided and when. */
  record Review(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      String reviewedBy,
      Instant reviewedAt,
      String note) {}

  private final WebClient http;
  private final ReactiveMongoTemplate mongo;
  private final JsonMapper json;
  private final Clock clock;
  private final URI challengeUrl;
  private final String authorization;
  private final Duration timeout;
  private final boolean configured;

  ReviewDecisions(
      DashboardProperties properties, ReactiveMongoTemplate mongo, JsonMapper json, Clock clock) {
    this.configured = properties.apiSecret() != null && !properties.apiSecret().isBlank();
    if (!configured) {
      log.warn(
          "signet.dashboard.api-secret (SIGNET_API_SECRET) is not set: the dashboard shows the"
              + " review queue but cannot send decisions to challenge-service");
    }
    this.http = WebClient.builder().build();
    this.mongo = mongo;
    this.json = json;
    this.clock = clock;
    this.challengeUrl = properties.challengeUrl();
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (configured ? properties.apiSecret() + ":" : ":")
                        .getBytes(StandardCharsets.UTF_8));
    this.timeout = properties.challengeTimeout();
  }

  /** Sends the decision and records it; fails with a {@link DashboardException} when refused. */
  Mono<Review> decide(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      String operator,
      String note) {
    if (!configured) {
      return Mono.error(
          new DashboardException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "invalid_configuration",
              "audit-service has no API secret (SIGNET_API_SECRET), so it cannot send review"
                  + " decisions to challenge-service."));
    }
    String correlationId = "dashboard-" + UUID.randomUUID();
    return send(userId, actionCode, idempotencyKey, state, correlationId)
        .flatMap(
            accepted -> {
              log.info(
                  "review decided correlationId={} actionCode={} state={}",
                  correlationId,
                  actionCode,
                  accepted);
              return record(userId, actionCode, idempotencyKey, accepted, operator, note);
            });
  }

  /** The decision to challenge-service; the state it reports, or the refusal as an exception. */
  private Mono<String> send(
      String userId, String actionCode, String idempotencyKey, String state, String correlationId) {
    URI uri =
        UriComponentsBuilder.fromUri(challengeUrl)
            .path("/v1/users/{userId}/actions/{action}/{idempotencyKey}")
            .buildAndExpand(userId, actionCode, idempotencyKey)
            .encode()
            .toUri();
    return http.patch()
        .uri(uri)
        .header("Authorization", authorization)
        .header("X-Correlation-Id", correlationId)
        // A review resolves a pending review only: challenge-service refuses the decision when the
        // action has left REVIEW_REQUIRED (another decision, or a state set through the API).
        .header("X-Signet-Expected-State", "REVIEW_REQUIRED")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("state", state))
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(body -> answer(response.statusCode().value(), body, state)))
        .timeout(timeout)
        .onErrorMap(
            e -> e instanceof TimeoutException || e instanceof WebClientRequestException,
            e -> {
              log.warn(
                  "review decision not delivered correlationId={} cause={}",
                  correlationId,
                  e.toString());
              return new DashboardException(
                  HttpStatus.SERVICE_UNAVAILABLE,
                  "upstream_unavailable",
                  "challenge-service did not answer; the decision was not applied. Try again.");
            });
  }

  /** The state challenge-service reports after the decision, or the refusal as an exception. */
  private String answer(int status, String body, String requested) {
    JsonNode node;
    try {
      node = body.isBlank() ? json.missingNode() : json.readTree(body);
    } catch (RuntimeException e) {
      node = json.missingNode();
    }
    if (status == 200) {
      String state = node.path("state").asText("");
      return state.isEmpty() ? requested : state;
    }
    String description = node.path("errorDescription").asText("");
    if (status == 400 || status == 404) {
      return throwing(
          new DashboardException(
              status == 404 ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT,
              status == 404 ? "not_found" : "conflict",
              description.isEmpty()
                  ? "challenge-service refused the decision (HTTP " + status + ")."
                  : description));
    }
    if (status == 401) {
      return throwing(
          new DashboardException(
              HttpStatus.BAD_GATEWAY,
              "invalid_configuration",
              "challenge-service refused audit-service's API secret (SIGNET_API_SECRET)."));
    }
    return throwing(
        new DashboardException(
            HttpStatus.BAD_GATEWAY,
            "upstream_error",
            "challenge-service answered HTTP " + status + "; the decision was not applied."));
  }

  private static String throwing(DashboardException e) {
    throw e;
  }

  private Mono<Review> record(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      String operator,
      String note) {
    String id = id(userId, actionCode, idempotencyKey);
    Update update =
        new Update()
            .setOnInsert("userId", userId)
            .setOnInsert("actionCode", actionCode)
            .setOnInsert("idempotencyKey", idempotencyKey)
            .setOnInsert("state", state)
            .setOnInsert("reviewedBy", operator)
            .setOnInsert("reviewedAt", Date.from(clock.instant()))
            .setOnInsert("note", note);
    return mongo
        .findAndModify(
            Query.query(Criteria.where("_id").is(id)),
            update,
            FindAndModifyOptions.options().upsert(true).returnNew(true),
            Document.class,
            COLLECTION)
        .map(ReviewDecisions::read);
  }

  /** Recent decisions, newest first; only of one user when {@code userId} is given. */
  Flux<Review> recent(String userId, int limit) {
    Query query = userId == null ? new Query() : Query.query(Criteria.where("userId").is(userId));
    query.with(Sort.by(Sort.Direction.DESC, "reviewedAt")).limit(limit);
    return mongo.find(query, Document.class, COLLECTION).map(ReviewDecisions::read);
  }

  /** The recorded decisions of these actions (ids as {@link #id}). */
  Flux<Review> of(List<String> ids) {
    return mongo
        .find(Query.query(Criteria.where("_id").in(ids)), Document.class, COLLECTION)
        .map(ReviewDecisions::read);
  }

  static String id(String userId, String actionCode, String idempotencyKey) {
    // None of the three can hold a '/' (URL-safe ids, action code pattern).
    return userId + "/" + actionCode + "/" + idempotencyKey;
  }

  private static Review read(Document d) {
    Date at = d.getDate("reviewedAt");
    return new Review(
        d.getString("userId"),
        d.getString("actionCode"),
        d.getString("idempotencyKey"),
        d.getString("state"),
        d.getString("reviewedBy"),
        at == null ? null : at.toInstant(),
        d.getString("note"));
  }
}
