package dev.signet.e2e.security;

/**
 * Which HTTP surface a path belongs to, because each takes a different credential (and so has
 * different wrong ones): the server API, the client API, the management and query APIs, the
 * dashboard, the actuator and the signed webhooks. A path none of them claims is {@link #OTHER}:
 * still protected, so a route added there must be put on the public list or be refused.
 */
enum Surface {
  SERVER_API,
  CLIENT_API,
  MANAGEMENT_API,
  AUDIT_API,
  DASHBOARD_API,
  ACTUATOR,
  WEBHOOK,
  OTHER;

  static Surface of(String service, String path) {
    if (under(path, "/actuator")) {
      return ACTUATOR;
    }
    return switch (service) {
      case "challenge" ->
          under(path, "/v1/client")
              ? CLIENT_API
              : under(path, "/v1/management")
                  ? MANAGEMENT_API
                  : under(path, "/v1") ? SERVER_API : OTHER;
      case "rules" -> under(path, "/v1/management") ? MANAGEMENT_API : OTHER;
      case "audit" ->
          under(path, "/v1/audit")
              ? AUDIT_API
              : under(path, "/dashboard/api") ? DASHBOARD_API : OTHER;
      case "dispatcher" -> under(path, "/webhooks") ? WEBHOOK : OTHER;
      default -> OTHER;
    };
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
