package dev.signet.rules.evaluation;

import java.util.Map;

/**
 * What is known about one tracked action when it is evaluated: the request's attributes as the
 * application reported them, and the user's enrolment as challenge-service saw it.
 *
 * @param eventId id of the tracked-action event (its own action is not counted twice in velocity)
 * @param custom custom data: {@code String}, {@code Long}, {@code Double}, {@code Boolean} or null
 * @param phoneCountry ISO 3166-1 alpha-2 region of the user's default SMS authenticator, or null
 */
public record ActionAttributes(
    String eventId,
    String userId,
    String actionCode,
    String ipAddress,
    String userAgent,
    String deviceId,
    Map<String, Object> custom,
    boolean enrolled,
    String phoneCountry) {

  public ActionAttributes {
    custom = custom == null ? Map.of() : java.util.Collections.unmodifiableMap(custom);
  }
}
