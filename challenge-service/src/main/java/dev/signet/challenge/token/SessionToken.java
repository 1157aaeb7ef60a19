package dev.signet.challenge.token;

import java.time.Instant;

/**
 * What a session access token asserts (docs/tokens.md, session access tokens): the user, the app
 * client it was issued for ({@code aud}) and the session ({@code sid}) whose current state decides
 * whether it still counts.
 *
 * @param userId the user ({@code sub}, {@code other.userId})
 * @param clientId the app client, the token's only audience
 * @param sessionId the session the token belongs to ({@code sid})
 * @param tenantId the tenant ({@code other.tenantId})
 * @param tokenId the token's own id ({@code jti})
 * @param issuedAt issue time ({@code iat}), whole seconds
 * @param expiresAt expiry ({@code exp}), whole seconds
 */
public record SessionToken(
    String userId,
    String clientId,
    String sessionId,
    String tenantId,
    String tokenId,
    Instant issuedAt,
    Instant expiresAt) {}
