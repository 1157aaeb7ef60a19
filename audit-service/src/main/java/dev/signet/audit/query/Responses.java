package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The response bodies of the query API (documented in OpenAPI and docs/audit-service.md). */
final class Responses {

  private Responses() {}

  @Schema(description = "One recorded activity: an entry of a user's timeline.")
  record ActivityItem(
      String activityId,
      @Schema(description = "Stable type, e.g. challenge.verified") String type,
      @Schema(allowableValues = {"CHALLENGE", "ACTION", "AUTHENTICATOR", "USER", "SMS", "POLICY"})
          String category,
      @Schema(allowableValues = {"SUCCESS", "FAILURE", "BLOCKED", "PENDING", "INFO"})
          String outcome,
      @Schema(
              description = "CRITICAL for security events, such as a tampered code request",
              allowableValues = {"INFO", "NOTICE", "WARNING", "CRITICAL"})
          String severity,
      String summary,
      Instant occurredAt,
      Instant recordedAt,
      String correlationId,
      String userId,
      String challengeId,
      String actionCode,
      String idempotencyKey,
      String userAuthenticatorId,
      @Schema(description = "Masked, e.g. +44******0001") String phoneNumberMasked,
      String countryCode,
      String ipAddress,
      boolean testTraffic,
      String sourceTopic,
      String sourceEventId,
      @Schema(description = "Audit event id on auth.audit.activity.v1 (derived, stable)")
          String auditEventId,
      boolean published,
      @Schema(description = "Type-specific details as strings (reason, state, attempt, ...)")
          Map<String, String> attributes) {}

  @Schema(description = "A page of activities, newest first.")
  record ActivityPage(
      List<ActivityItem> items,
      @Schema(description = "Pass as 'cursor' for the next page; null on the last page")
          String nextCursor,
      int limit) {}

  @Schema(description = "One step of a challenge or action (one source event).")
  record Step(
      String type,
      Instant at,
      String outcome,
      String summary,
      String activityId,
      Map<String, String> attributes) {}

  @Schema(description = "One send of a challenge: request, dispatch, delivery, block or failure.")
  record Attempt(
      int attempt,
      Instant requestedAt,
      Instant dispatchedAt,
      String provider,
      Integer segments,
      @Schema(description = "Latest delivery status reported for this send, by rank")
          String deliveryStatus,
      Instant deliveredAt,
      Long sendToDeliveryMillis,
      String blockedReason,
      String failureReason) {}

  @Schema(description = "A challenge: request, sends, receipts and verification joined.")
  record ChallengeView(
      String challengeId,
      String userId,
      String action,
      String idempotencyKey,
      String purpose,
      String channel,
      String countryCode,
      String phoneNumberMasked,
      String userAuthenticatorId,
      boolean testTraffic,
      @Schema(allowableValues = {"PENDING", "EXPIRED", "FAILED", "VERIFIED", "CLAIMED"})
          String state,
      @Schema(allowableValues = {"NONE", "BLOCKED", "FAILED", "SENT", "DELIVERED"}) String delivery,
      Instant createdAt,
      Instant updatedAt,
      Instant requestedAt,
      Instant expiresAt,
      Instant firstSentAt,
      Instant deliveredAt,
      Long timeToDeliveryMillis,
      Instant verifiedAt,
      Instant claimedAt,
      Instant expiredAt,
      int sendsRequested,
      int sendsDispatched,
      int sendsDelivered,
      int failedVerifications,
      @Schema(
              description =
                  "True when a requested event naming this challenge was refused as tampered: its"
                      + " sealed code did not open for the number, attempt, channel or expiry it"
                      + " named (forged or altered on Kafka)")
          boolean tampered,
      @Schema(description = "How many distinct tampered requests named this challenge")
          int tamperedRequests,
      List<Attempt> attempts,
      List<Step> steps) {}

  @Schema(description = "A page of challenges, newest first.")
  record ChallengePage(List<ChallengeView> items, String nextCursor, int limit) {}

  @Schema(description = "A review decision on an action.")
  record Review(String reviewedBy, String state, Instant at) {}

  @Schema(
      description =
          "A state set by hand through the server API, outside the lifecycle, with the kind of"
              + " credential that set it.")
  record ManualChange(
      String state,
      String previousState,
      @Schema(allowableValues = {"API_SECRET"}) String credentialKind,
      Instant at) {}

  @Schema(description = "A tracked action: decision, state changes and their rules.")
  record ActionView(
      String userId,
      String actionCode,
      String idempotencyKey,
      @Schema(
              description =
                  "Current state (last state change by event time); null before any state change",
              allowableValues = {
                "ALLOW",
                "BLOCK",
                "CHALLENGE_REQUIRED",
                "CHALLENGE_SUCCEEDED",
                "CHALLENGE_FAILED",
                "REVIEW_REQUIRED",
                "REVIEW_SUCCEEDED",
                "REVIEW_FAILED"
              })
          String state,
      Instant stateAt,
      @Schema(allowableValues = {"ALLOW", "BLOCK", "CHALLENGE", "REVIEW"}) String decision,
      List<String> ruleIds,
      Boolean defaultOutcome,
      Instant createdAt,
      Instant updatedAt,
      Instant trackedAt,
      Instant decidedAt,
      String ipAddress,
      String userAgent,
      String deviceId,
      List<String> challengeIds,
      List<Review> reviews,
      List<ManualChange> manualChanges,
      List<Step> steps,
      @Schema(
              description =
                  "Where the user completed the action's challenge, when a client challenge did",
              allowableValues = {"CLIENT_API", "PREBUILT_UI"})
          String completedVia) {}

  @Schema(description = "A page of actions, newest first.")
  record ActionPage(List<ActionView> items, String nextCursor, int limit) {}

  @Schema(
      description =
          "Figures of the challenges requested in one bucket, for one country and action ('*' ="
              + " all).")
  record AggregateBucket(
      @Schema(allowableValues = {"hour", "day"}) String granularity,
      Instant bucketStart,
      String countryCode,
      String action,
      long challenges,
      long sends,
      long deliveries,
      long undelivered,
      long dispatchFailures,
      long verifications,
      long verificationFailures,
      @Schema(description = "verifications / challenges; null without challenges")
          Double conversionRate,
      @Schema(description = "deliveries / sends; null without sends") Double deliveryRate,
      Long sendToDeliveryP50Millis,
      Long sendToDeliveryP95Millis,
      long blocked,
      Map<String, Long> blockedByReason,
      long shadowBlocked,
      Instant computedAt) {}

  @Schema(description = "Aggregates in ascending bucket order.")
  record AggregatePage(
      String granularity,
      Instant from,
      Instant to,
      List<AggregateBucket> items,
      @Schema(description = "True when more rows matched than were returned (max 5000)")
          boolean truncated) {}

  @Schema(description = "How far behind the views are.")
  record LagReport(
      Instant generatedAt,
      List<TopicLagItem> topics,
      @Schema(
              description =
                  "Kafka record timestamp to view written, last minute: count, p50Millis,"
                      + " p95Millis, p99Millis, maxMillis")
          Map<String, Object> viewLag,
      long pendingPublications,
      boolean aggregatesUpToDate) {}

  @Schema(description = "Lag of one consumed topic.")
  record TopicLagItem(
      String topic,
      @Schema(description = "Records not yet applied (null until first measured)") Long consumerLag,
      @Schema(description = "Event time of the newest event applied") Instant newestEventAt,
      @Schema(description = "Seconds since newestEventAt") Double newestEventAgeSeconds,
      Instant lastAppliedAt,
      @Schema(description = "Records applied since this instance started") long applied) {}
}
