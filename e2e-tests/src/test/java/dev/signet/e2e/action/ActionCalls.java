package dev.signet.e2e.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.util.UUID;

/** The server API calls of the action tests, against one challenge-service instance. */
public final class ActionCalls {

  private final RunningStack stack;
  private final Http http;

  public ActionCalls(RunningStack stack, Http http) {
    this.stack = stack;
    this.http = http;
  }

  public String auth() {
    return Http.basic(stack.apiSecret());
  }

  Http.Reply track(String baseUrl, String userId, String action, String json) {
    return http.post(baseUrl + "/v1/users/" + userId + "/actions/" + action, auth(), json);
  }

  public Http.Reply track(String userId, String action, String json) {
    return track(stack.url("challenge"), userId, action, json);
  }

  Http.Reply get(String userId, String action, String key) {
    return http.get(
        stack.url("challenge") + "/v1/users/" + userId + "/actions/" + action + "/" + key, auth());
  }

  Http.Reply patch(String userId, String action, String key, String state) {
    return http.patch(
        stack.url("challenge") + "/v1/users/" + userId + "/actions/" + action + "/" + key,
        auth(),
        "{\"state\":\"" + state + "\"}");
  }

  public Http.Reply validate(String token) {
    return http.post(
        stack.url("challenge") + "/v1/validate", auth(), "{\"token\":\"" + token + "\"}");
  }

  /** A new user with a verified SMS authenticator on a fresh fictional number; returns it. */
  public String enrol(String userId) {
    String phone = Sandbox.freshPhoneNumber();
    Http.Reply enrolled =
        http.post(
            stack.url("challenge") + "/v1/users/" + userId + "/authenticators",
            auth(),
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"" + phone + "\"}");
    assertThat(enrolled.status()).as(enrolled.raw().body()).isEqualTo(200);
    return phone;
  }

  /** Creates a rule through rules-service's management API; returns its id. */
  String rule(String action, String ruleJson) {
    Http.Reply created =
        http.post(
            stack.url("rules") + "/v1/management/actions/" + action + "/rules",
            "Bearer " + stack.managementSecret(),
            ruleJson);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().path("ruleId").asText();
  }

  /**
   * Waits until tracked actions are decided by rules-service within the deadline: right after a
   * start, the first decisions of a cold JVM can miss it and get the fallback. Asks until eight
   * actions in a row (distinct users, so every partition and every rules instance) came in time.
   */
  void awaitDecisionsInTime(String baseUrl) {
    int[] inARow = {0};
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(120))
        .pollInterval(java.time.Duration.ofMillis(200))
        .until(
            () -> {
              boolean inTime =
                  !track(baseUrl, uniqueUser("e2e-warm"), "e2eWarmUp", "{}")
                      .body()
                      .path("ruleIds")
                      .toString()
                      .contains("signet-decision-timeout");
              inARow[0] = inTime ? inARow[0] + 1 : 0;
              return inARow[0] >= 8;
            });
  }

  public void awaitDecisionsInTime() {
    awaitDecisionsInTime(stack.url("challenge"));
  }

  public static String uniqueAction(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  public static String uniqueUser(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }
}
