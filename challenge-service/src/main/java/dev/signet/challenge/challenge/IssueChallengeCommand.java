package dev.signet.challenge.challenge;

/**
 * A validated request for a challenge. With {@code challengeId} it is a resend of that challenge;
 * with an {@code idempotencyKey} already used it is a retry or a resend of that challenge. {@code
 * actionAttemptId} names the tracked action attempt of a client API request (null for the server
 * API): the cap on distinct numbers per action attempt counts by it.
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
    String correlationId,
    String actionAttemptId) {}
