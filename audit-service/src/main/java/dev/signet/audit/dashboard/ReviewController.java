package dev.signet.audit.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The review decisions under {@code /dashboard/api/reviews}: approve or reject a {@code
 * REVIEW_REQUIRED} action, and the record of who decided what and when. The reviewer of a decision
 * is always the session's operator.
 */
@RestController
class ReviewController {

  private static final int MAX_NOTE = 500;

  private final ReviewDecisions reviews;
  private final JsonMapper json;

  ReviewController(ReviewDecisions reviews, JsonMapper json) {
    this.reviews = reviews;
    this.json = json;
  }

  /** One decision; {@code note} only when one was given. */
  record ReviewBody(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      String reviewedBy,
      String reviewedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
    static ReviewBody of(ReviewDecisions.Review r) {
      return new ReviewBody(
          r.userId(),
          r.actionCode(),
          r.idempotencyKey(),
          r.state(),
          r.reviewedBy(),
          r.reviewedAt() == null ? null : r.reviewedAt().toString(),
          r.note());
    }
  }

  /** A decision as the operator sends it; the reviewer is the session's, never a member. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ReviewRequest(String state, String note) {}

  /** Recent decisions: {@code {reviews: [...]}}. */
  record ReviewList(List<ReviewBody> reviews) {}

  /** Recent decisions, newest first: {@code {reviews:[...]}}. */
  @GetMapping(path = "/dashboard/api/reviews", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ReviewList> reviews(
      @RequestParam(name = "userId", required = false) String userId,
      @RequestParam(name = "limit", required = false) String limit) {
    if (userId != null && !DashboardRequests.URL_SAFE_ID.matcher(userId).matches()) {
      throw DashboardException.invalid("userId must be 1 to 128 URL-safe characters.");
    }
    int max = DashboardRequests.limit(limit);
    return reviews.recent(userId, max).map(ReviewBody::of).collectList().map(ReviewList::new);
  }

  /** Body {@code {state: "REVIEW_SUCCEEDED"|"REVIEW_FAILED", note?}}. */
  @PostMapping(
      path = "/dashboard/api/reviews/{userId}/{action}/{idempotencyKey}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ReviewBody> decide(
      @PathVariable String userId,
      @PathVariable String action,
      @PathVariable String idempotencyKey,
      @RequestBody(required = false) String body,
      ServerWebExchange exchange) {
    if (!DashboardRequests.URL_SAFE_ID.matcher(userId).matches()) {
      throw DashboardException.invalid("userId must be 1 to 128 URL-safe characters.");
    }
    if (!DashboardRequests.ACTION_CODE.matcher(action).matches()) {
      throw DashboardException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    if (!DashboardRequests.URL_SAFE_ID.matcher(idempotencyKey).matches()) {
      throw DashboardException.invalid("idempotencyKey must be 1 to 128 URL-safe characters.");
    }
    ReviewRequest request =
        DashboardRequests.read(
            json,
            body,
            ReviewRequest.class,
            "the reviewer is the signed-in operator.",
            "operator",
            "reviewer",
            "reviewedBy");
    String state = DashboardRequests.text(request.state(), "state", 32);
    if (!state.equals("REVIEW_SUCCEEDED") && !state.equals("REVIEW_FAILED")) {
      throw DashboardException.invalid("state must be REVIEW_SUCCEEDED or REVIEW_FAILED.");
    }
    String note = DashboardRequests.text(request.note(), "note", MAX_NOTE).strip();
    return DashboardRequests.current()
        .flatMap(
            session ->
                reviews.decide(
                    userId,
                    action,
                    idempotencyKey,
                    state,
                    session.operator(),
                    note.isEmpty() ? null : note))
        .map(ReviewBody::of);
  }
}
