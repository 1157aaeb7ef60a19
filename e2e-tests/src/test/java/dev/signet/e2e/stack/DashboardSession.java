package dev.signet.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A signed-in operator of the stack's dashboard (the account ./run generated): the session cookie,
 * and the dashboard API called as the operator's browser calls it (cookie plus the {@code
 * X-Signet-Dashboard} header). Sign in with the right password only: every attempt counts against a
 * per-account and per-address throttle the tests on one stack share, and only a success gives it
 * back.
 */
public final class DashboardSession {

  /** The header every dashboard API call carries besides the cookie (the CSRF guard). */
  public static final String CSRF_HEADER = "X-Signet-Dashboard";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RunningStack stack;
  private final Http http;
  private final String cookie;

  private DashboardSession(RunningStack stack, Http http, String cookie) {
    this.stack = stack;
    this.http = http;
    this.cookie = cookie;
  }

  public static DashboardSession signIn(RunningStack stack) {
    Http http = new Http();
    Http.Reply reply =
        http.postWithHeaders(
            stack.url("audit") + "/dashboard/api/login",
            Map.of(CSRF_HEADER, "1"),
            JSON.writeValueAsString(
                Map.of(
                    "username", stack.dashboardOperator(),
                    "password", stack.dashboardPassword())));
    assertThat(reply.status()).as("dashboard sign-in: %s", reply.raw().body()).isEqualTo(200);
    String setCookie = reply.raw().headers().firstValue("Set-Cookie").orElseThrow();
    return new DashboardSession(stack, http, setCookie.substring(0, setCookie.indexOf(';')));
  }

  /** The session as a {@code Cookie} header value. */
  public String cookie() {
    return cookie;
  }

  public Http.Reply post(String path, String json) {
    return http.postWithHeaders(stack.url("audit") + path, headers(), json);
  }

  public Http.Reply get(String path) {
    return http.getWithHeaders(stack.url("audit") + path, headers());
  }

  private Map<String, String> headers() {
    return Map.of("Cookie", cookie, CSRF_HEADER, "1");
  }
}
