package dev.signet.challenge.challenge;

/**
 * A validated request for a challenge. With {@code challengeId} it is a resend of that challenge;
 * with an {@code idempotencyKey} already used it is a retry or a resend of that challenge.
 */
public record IssueChallengeCommand(
    String verificationMethod,
    String channel,
    String action,
    String phoneNumber,
    String countryCode,
    String challengeId,
    String idempotencyKey,
    String userId,
    String locale,
    String purpose,
    String userAuthenticatorId,
    String ipAddress,
    String correlationId) {}
