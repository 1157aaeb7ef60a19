package dev.signet.e2e.security;

import dev.signet.e2e.stack.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The right credential of each surface and every wrong one an attacker (or a confused client) has
 * at hand: nothing, a wrong secret, and the other surfaces' genuine credentials (the management
 * secret where the API secret belongs, a client token on the server API, a dashboard cookie without
 * its CSRF header). The wrong kinds matter as much as wrong values: a filter that checks "some
 * Authorization header is present" passes them.
 *
 * @param forgedTokens forged client tokens by forgery name (see {@code ForgedTokens})
 * @param dashboardCookie a signed-in dashboard session as a {@code Cookie} header value
 * @param logoutCookie another session, for the sign-out route: sessions live on the server, so
 *     signing out ends the session every other dashboard request is sent with
 */
record Credentials(
    String apiSecret,
    String managementSecret,
    String clientToken,
    Map<String, String> forgedTokens,
    String dashboardCookie,
    String logoutCookie) {

  static final String CSRF_HEADER = "X-Signet-Dashboard";

  Credentials {
    forgedTokens = Map.copyOf(forgedTokens);
  }

  /** The credentials to use on a path: the second session on the sign-out route. */
  Credentials forPath(String path) {
    return path.endsWith("/logout")
        ? new Credentials(
            apiSecret, managementSecret, clientToken, forgedTokens, logoutCookie, logoutCookie)
        : this;
  }

  /** The credential that opens the surface; {@code null} for the signed webhooks (none can). */
  Credential right(Surface surface) {
    return switch (surface) {
      case SERVER_API -> Credential.authorization("basic:api-secret", Http.basic(apiSecret));
      case CLIENT_API -> Credential.authorization("bearer:client-token", bearer(clientToken));
      case DASHBOARD_API ->
          new Credential("cookie+csrf", Map.of("Cookie", dashboardCookie, CSRF_HEADER, "1"));
      case MANAGEMENT_API, AUDIT_API, ACTUATOR, OTHER ->
          Credential.authorization("bearer:management-secret", bearer(managementSecret));
      case WEBHOOK -> null;
    };
  }

  /** What a public route is called with: nothing, plus the CSRF header on the dashboard API. */
  Credential publicCredential(Surface surface) {
    return surface == Surface.DASHBOARD_API
        ? new Credential("csrf", Map.of(CSRF_HEADER, "1"))
        : Credential.NONE;
  }

  /** Every wrong credential for the surface, starting with none at all. */
  List<Credential> wrong(Surface surface) {
    List<Credential> out = new ArrayList<>();
    out.add(Credential.NONE);
    switch (surface) {
      case SERVER_API -> {
        out.add(Credential.authorization("basic:wrong-secret", Http.basic("not-the-api-secret")));
        out.add(Credential.authorization("basic:management-secret", Http.basic(managementSecret)));
        out.add(Credential.authorization("bearer:api-secret", bearer(apiSecret)));
        out.add(Credential.authorization("bearer:client-token", bearer(clientToken)));
      }
      case CLIENT_API -> {
        out.add(Credential.authorization("bearer:garbage", bearer("not.a-token")));
        forgedTokens.forEach(
            (kind, token) ->
                out.add(Credential.authorization("bearer:forged-" + kind, bearer(token))));
        out.add(Credential.authorization("basic:api-secret", Http.basic(apiSecret)));
      }
      case MANAGEMENT_API, AUDIT_API, ACTUATOR, OTHER -> {
        out.add(
            Credential.authorization("bearer:wrong-secret", bearer("not-the-management-secret")));
        out.add(Credential.authorization("bearer:api-secret", bearer(apiSecret)));
        out.add(Credential.authorization("basic:api-secret", Http.basic(apiSecret)));
        if (surface == Surface.AUDIT_API) {
          // the dashboard reads the query API with its session: only with cookie AND header
          out.add(new Credential("cookie-without-csrf", Map.of("Cookie", dashboardCookie)));
          out.add(new Credential("csrf-without-cookie", Map.of(CSRF_HEADER, "1")));
        }
      }
      case DASHBOARD_API -> {
        out.add(new Credential("csrf-without-cookie", Map.of(CSRF_HEADER, "1")));
        out.add(new Credential("cookie-without-csrf", Map.of("Cookie", dashboardCookie)));
        out.add(
            new Credential(
                "forged-cookie+csrf",
                Map.of("Cookie", forgedCookie(dashboardCookie), CSRF_HEADER, "1")));
        out.add(
            new Credential(
                "bearer:management-secret+csrf",
                Map.of("Authorization", bearer(managementSecret), CSRF_HEADER, "1")));
      }
      case WEBHOOK -> out.add(Credential.authorization("bearer:garbage", bearer("not.a-token")));
    }
    return out;
  }

  /** The secrets no answer may ever echo. */
  List<String> secrets() {
    return List.of(
        apiSecret,
        managementSecret,
        clientToken,
        cookieValue(dashboardCookie),
        cookieValue(logoutCookie));
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  /** The session cookie with its signature's first character changed. */
  private static String forgedCookie(String cookie) {
    int last = cookie.lastIndexOf('.');
    char c = cookie.charAt(last + 1);
    return cookie.substring(0, last + 1) + (c == 'A' ? 'B' : 'A') + cookie.substring(last + 2);
  }

  private static String cookieValue(String cookie) {
    return cookie.substring(cookie.indexOf('=') + 1);
  }
}
