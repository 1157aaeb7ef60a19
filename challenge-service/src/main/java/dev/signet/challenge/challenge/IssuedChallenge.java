package dev.signet.challenge.challenge;

import java.time.Instant;

/** What the caller learns about a challenge it asked for; never the code. */
record IssuedChallenge(String challengeId, String idempotencyKey, Instant expiresAt) {}
