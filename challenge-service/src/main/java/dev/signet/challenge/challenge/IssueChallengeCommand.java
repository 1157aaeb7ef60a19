package dev.signet.challenge.challenge;

/** A validated request for a new challenge. */
record IssueChallengeCommand(
    String verificationMethod,
    String channel,
    String action,
    String phoneNumber,
    String idempotencyKey,
    String userId,
    String locale,
    String correlationId) {}
