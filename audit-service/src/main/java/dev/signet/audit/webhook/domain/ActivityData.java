package dev.signet.audit.webhook.domain;

import java.util.Map;

/**
 * The {@code data} of a webhook event: the activity as the audit topic carries it, every field
 * present ({@code null} when the activity has no value), attributes sorted by name.
 */
public record ActivityData(
    String activityId,
    String type,
    String category,
    String outcome,
    String severity,
    String summary,
    String occurredAt,
    String correlationId,
    String userId,
    String challengeId,
    String actionCode,
    String idempotencyKey,
    String userAuthenticatorId,
    String phoneNumberMasked,
    String countryCode,
    String ipAddress,
    boolean testTraffic,
    String sourceTopic,
    String sourceEventId,
    Map<String, String> attributes) {}
