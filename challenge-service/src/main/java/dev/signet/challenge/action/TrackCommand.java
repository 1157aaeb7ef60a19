package dev.signet.challenge.action;

import dev.signet.challenge.user.UserPatch;
import java.util.Map;

/**
 * A validated track request.
 *
 * @param userId the user (created if unknown)
 * @param actionCode the action code
 * @param idempotencyKey the caller's key, or null to draw one
 * @param ipAddress client IP address, or null
 * @param userAgent client user agent, or null
 * @param deviceId client device id, or null
 * @param scope the requested client token scopes, space-separated, all known (may be empty)
 * @param custom custom data: primitives only
 * @param locale preferred locale, or null
 * @param newUser the attributes an unknown user is created with (email, phoneNumber, username)
 * @param correlationId id of the request flow
 * @param redirectUrl where the hosted page sends the browser back in redirect mode, checked against
 *     the allowed redirect origins, or null
 */
record TrackCommand(
    String userId,
    String actionCode,
    String idempotencyKey,
    String ipAddress,
    String userAgent,
    String deviceId,
    String scope,
    Map<String, Object> custom,
    String locale,
    UserPatch newUser,
    String correlationId,
    String redirectUrl) {

  TrackCommand {
    custom = custom == null ? Map.of() : Map.copyOf(custom);
    scope = scope == null ? "" : scope;
  }

  /** The same command with {@code redirectUrl} replaced (by its checked form). */
  TrackCommand withRedirectUrl(String url) {
    return new TrackCommand(
        userId,
        actionCode,
        idempotencyKey,
        ipAddress,
        userAgent,
        deviceId,
        scope,
        custom,
        locale,
        newUser,
        correlationId,
        url);
  }
}
