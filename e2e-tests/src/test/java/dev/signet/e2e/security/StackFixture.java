package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.badinput.ForgedTokens;
import dev.signet.e2e.stack.DashboardSession;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The genuine credentials and ids the hostile suite needs from the running stack: a tracked action
 * (its client token and real ids, so a read that wrongly gets through returns data), forged
 * variants of that token, and a dashboard session.
 */
final class StackFixture {

  private final RunningStack stack;
  private final Http http = new Http();

  /** A tracked action of a user of this suite, with the client token it returned. */
  record TrackedAction(String userId, String action, String idempotencyKey, String token) {}

  StackFixture(RunningStack stack) {
    this.stack = stack;
  }

  TrackedAction trackAction() {
    String userId = "hostile-suite-" + UUID.randomUUID().toString().substring(0, 8);
    String action = "hostileSuite";
    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/users/" + userId + "/actions/" + action,
            Http.basic(stack.apiSecret()),
            "{}");
    assertThat(reply.status()).as("track an action: %s", reply.raw().body()).isEqualTo(200);
    return new TrackedAction(
        userId,
        action,
        reply.body().path("idempotencyKey").asString(),
        reply.body().path("token").asString());
  }

  /**
   * The files the dashboard page loads ({@code src} and {@code href} under {@code /dashboard/}),
   * served by audit-service's static-file route to anyone.
   */
  List<String> dashboardFiles() {
    RawHttp.Answer page =
        new RawHttp()
            .send(
                stack.url("audit"),
                new RawHttp.Request("GET", "/dashboard/", Map.of(), null, null));
    assertThat(page.status()).as("the dashboard page").isEqualTo(200);
    Matcher link = Pattern.compile("(?:src|href)=\"(/dashboard/[^\"#?]+)\"").matcher(page.body());
    List<String> files = new ArrayList<>();
    while (link.find()) {
      if (!link.group(1).startsWith("/dashboard/api/") && !files.contains(link.group(1))) {
        files.add(link.group(1));
      }
    }
    assertThat(files).as("files the dashboard page loads").isNotEmpty();
    return files;
  }

  /** Forgeries of a genuine client token that need no private key (see {@link ForgedTokens}). */
  Map<String, String> forgedTokens(String genuine) {
    Http.Reply jwks = http.get(stack.url("challenge") + "/.well-known/jwks.json", null);
    assertThat(jwks.status()).as("JWKS").isEqualTo(200);
    JsonNode jwk = jwks.body().path("keys").path(0);
    Map<String, String> out = new LinkedHashMap<>();
    for (String kind : new String[] {"none", "tampered"}) {
      out.put(
          kind,
          ForgedTokens.forge(
              kind,
              genuine,
              jwk,
              () -> {
                throw new IllegalStateException(kind + " needs no signing key");
              }));
    }
    return out;
  }

  /** Signs in to the operator dashboard; the session as a {@code Cookie} header value. */
  String dashboardCookie() {
    return DashboardSession.signIn(stack).cookie();
  }
}
