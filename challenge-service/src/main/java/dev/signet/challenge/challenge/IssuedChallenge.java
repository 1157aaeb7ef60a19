package dev.signet.challenge.challenge;

import java.time.Instant;

/**
 * What the caller learns about a challenge it asked for; never the code. {@code sent} is false when
 * an idempotent retry inside the cooldown returned the existing challenge without a new SMS.
 */
public record IssuedChallenge(
    String challengeId, String idempotencyKey, Instant expiresAt, int attempt, boolean sent) {}
