package dev.signet.audit.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verification-lock resets taken in the dashboard, on the path of {@link ReviewDecisions}: the
 * reset is sent to challenge-service's operators' route ({@code POST
 * /v1/management/verification-locks/reset}, management secret), which clears the consecutive-
 * failure count and records the reset with the operator; once it has accepted, the dashboard
 * records it too in {@code dashboard_lock_resets} (who, when, what, why) for its own history. The
 * operator is always the signed-in one, never a name the browser sends.
 */
final class VerificationLockResets {

  static final String COLLECTION = "dashboard_lock_resets";

  private static final Logger log = LoggerFactory.getLogger(VerificationLockResets.class);
  private static final String PATH = "/v1/management/verification-locks";

  private final ManagementUpstream upstream;
  private final WebClient http;
  private final ReactiveMongoTemplate mongo;
  private final JsonMapper json;
  private final Clock clock;
  private final URI challengeUrl;

  VerificationLockResets(
      DashboardProperties properties, ReactiveMongoTemplate mongo, JsonMapper json, Clock clock) {
    this.upstream =
        new ManagementUpstream(
            "challenge-service",
            properties.challengeManagementSecret(),
            "SIGNET_CHALLENGE_MANAGEMENT_SECRET",
            properties.challengeTimeout(),
            json);
    this.http = upstream.http;
    this.mongo = mongo;
    this.json = json;
    this.clock = clock;
    this.challengeUrl = properties.challengeUrl();
  }

  /** The accounts' state as challenge-service reports it ({@code {accounts:[...]}}). */
  Mono<JsonNode> state(String phoneNumber, String userId) {
    URI uri =
        UriComponentsBuilder.fromUri(challengeUrl)
            .path(PATH)
            .queryParamIfPresent("phoneNumber", java.util.Optional.ofNullable(phoneNumber))
            .queryParamIfPresent("userId", java.util.Optional.ofNullable(userId))
            .encode()
            .build()
            .toUri();
    return send(http.get().uri(uri).accept(MediaType.APPLICATION_JSON));
  }

  /** The body of challenge-service's reset route; the accounts and reason only when given. */
  record ResetCall(
      @JsonInclude(JsonInclude.Include.NON_NULL) String phoneNumber,
      @JsonInclude(JsonInclude.Include.NON_NULL) String userId,
      String operator,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}

  /**
   * A reset taken here; {@code accounts} are as challenge-service reported them (its shape, kept as
   * it answered).
   */
  record LockReset(
      String resetId, String operator, String resetAt, String reason, JsonNode accounts) {}

  /** Resets the accounts as {@code operator}, then records it here. */
  Mono<JsonNode> reset(String phoneNumber, String userId, String operator, String reason) {
    ResetCall body = new ResetCall(phoneNumber, userId, operator, reason);
    URI uri = UriComponentsBuilder.fromUri(challengeUrl).path(PATH + "/reset").build().toUri();
    return send(http.post()
            .uri(uri)
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON)
            .bodyValue(body))
        .flatMap(
            answer -> {
              log.info(
                  "verification lock reset from the dashboard resetId={} operator={}",
                  answer.path("resetId").asText(),
                  operator);
              Document record =
                  new Document("_id", answer.path("resetId").asText())
                      .append("operator", operator)
                      .append("reason", reason)
                      .append("resetAt", Date.from(clock.instant()))
                      .append("userId", userId)
                      .append("accounts", json.writeValueAsString(answer.path("accounts")));
              return mongo.insert(record, COLLECTION).thenReturn(answer);
            });
  }

  /** Recent resets taken here, newest first. */
  Flux<LockReset> recent(int limit) {
    Query query = new Query().with(Sort.by(Sort.Direction.DESC, "resetAt")).limit(limit);
    return mongo
        .find(query, Document.class, COLLECTION)
        .map(
            d -> {
              Date at = d.getDate("resetAt");
              return new LockReset(
                  d.getString("_id"),
                  d.getString("operator"),
                  at == null ? null : Instant.ofEpochMilli(at.getTime()).toString(),
                  d.getString("reason"),
                  json.readTree(d.get("accounts", "[]")));
            });
  }

  private Mono<JsonNode> send(WebClient.RequestHeadersSpec<?> request) {
    return upstream.json(request);
  }
}
