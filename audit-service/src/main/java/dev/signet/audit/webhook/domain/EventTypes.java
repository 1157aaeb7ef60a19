package dev.signet.audit.webhook.domain;

import dev.signet.audit.activity.ActivityTypes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types an endpoint subscribes to: activity type names ({@link ActivityTypes#ALL}), or
 * {@code "*"} alone for every type, including types added later.
 */
public final class EventTypes {

  public static final String ALL = "*";

  private EventTypes() {}

  /** The subscription, de-duplicated in the given order; throws with a sentence when invalid. */
  public static List<String> parse(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      throw new IllegalArgumentException(
          "eventTypes must list at least one activity type, or \"*\" for all.");
    }
    Set<String> types = new LinkedHashSet<>();
    for (String type : requested) {
      if (type == null) {
        throw new IllegalArgumentException("eventTypes must hold strings.");
      }
      if (!type.equals(ALL) && !ActivityTypes.ALL.contains(type)) {
        throw new IllegalArgumentException(
            "eventTypes: unknown type (see GET /v1/audit/activity-types): "
                + (type.length() > 64 ? type.substring(0, 64) + "…" : type));
      }
      types.add(type);
    }
    if (types.contains(ALL) && types.size() > 1) {
      throw new IllegalArgumentException("eventTypes: \"*\" stands alone.");
    }
    return List.copyOf(types);
  }

  /** Whether a subscription takes events of {@code type}. */
  public static boolean matches(List<String> subscription, String type) {
    return subscription.contains(ALL) || subscription.contains(type);
  }
}
