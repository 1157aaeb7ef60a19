package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

@Schema(description = "One recorded activity: an entry of a user's timeline.")
record ActivityItem(
    String activityId,
    @Schema(description = "Stable type, e.g. challenge.verified") String type,
    @Schema(allowableValues = {"CHALLENGE", "ACTION", "AUTHENTICATOR", "USER", "SMS", "POLICY"})
        String category,
    @Schema(allowableValues = {"SUCCESS", "FAILURE", "BLOCKED", "PENDING", "INFO"}) String outcome,
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
