package dev.signet.challenge.token;

/**
 * What a Signet token asserts: the user, the action and attempt it was issued for, the scopes it
 * grants and the tenant. {@code userId} becomes {@code sub}; all four ids are repeated under {@code
 * other} as docs/tokens.md (and the official SDKs) expect.
 *
 * @param userId the user the token belongs to ({@code sub}, {@code other.userId})
 * @param actionCode the action code, e.g. {@code signIn} ({@code other.actionCode})
 * @param idempotencyKey the action attempt ({@code other.idempotencyKey})
 * @param scope space-separated scopes; {@code null} is issued as an empty string
 * @param tenantId the tenant ({@code other.tenantId})
 */
public record TokenClaims(
    String userId, String actionCode, String idempotencyKey, String scope, String tenantId) {

  public TokenClaims {
    requireText(userId, "userId");
    requireText(actionCode, "actionCode");
    requireText(idempotencyKey, "idempotencyKey");
    requireText(tenantId, "tenantId");
    scope = scope == null ? "" : scope;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
