package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What counts as refused. */
class VerdictTest {

  private static final Route CHALLENGE =
      new Route("challenge", "POST", "/v1/challenge", Route.Source.HANDLER_METHOD, List.of());
  private static final Set<String> NO_ROUTE =
      Set.of("404 not_found The requested resource was not found.", "401 unauthorized no");
  private static final RawHttp.Answer INVALID =
      json(400, "invalid_request", "verificationMethod is required.");
  private static final Verdict.Control CONTROL = Verdict.Control.of(INVALID, NO_ROUTE);

  @Test
  void aRefusalWithAJsonErrorIsRefused() {
    assertThat(judge(probe("/v1/challenge", false), json(401, "unauthorized", "no")))
        .isEqualTo(new Verdict.Refused(false));
  }

  @Test
  void theGenuineCallersErrorMeansTheRequestReachedTheHandler() {
    assertThat(judge(probe("/v1;x/challenge", false), INVALID))
        .isInstanceOf(Verdict.Accepted.class)
        .extracting(o -> ((Verdict.Accepted) o).reason())
        .asString()
        .contains("reached the handler");
  }

  @Test
  void servedFailedAndNonJsonAnswersAreAccepted() {
    Probe probe = probe("/%76%31/challenge", false);

    assertThat(judge(probe, json(200, "x", "y"))).isEqualTo(new Verdict.Accepted("served"));
    assertThat(judge(probe, json(500, "internal_error", "oops")))
        .isEqualTo(new Verdict.Accepted("server error"));
    assertThat(judge(probe, new RawHttp.Answer(404, "text/html", "<html>", null, 1)))
        .isEqualTo(new Verdict.Accepted("not a JSON error body"));
    assertThat(
            judge(
                probe,
                new RawHttp.Answer(
                    401,
                    "application/json",
                    "{\"error\":\"unauthorized\",\"errorDescription\":\"no\"}",
                    null,
                    1)))
        .as("an error body without errorCode (the Python and browser SDKs read it)")
        .isEqualTo(new Verdict.Accepted("not a JSON error body"));
    assertThat(judge(probe, RawHttp.Answer.failed("no answer within 10 s")))
        .isEqualTo(new Verdict.Accepted("no answer within 10 s"));
    assertThat(judge(probe, json(401, "unauthorized", "secret s3cr3t is wrong")))
        .isEqualTo(new Verdict.Accepted("the answer contains a secret"));
  }

  @Test
  void aFirewallSpellingWithTheRightCredentialMustBe400Or404() {
    Probe probe = probe("/v1;x/challenge", true);

    assertThat(judge(probe, json(400, "bad_request", "rejected")))
        .isEqualTo(new Verdict.Refused(false));
    assertThat(judge(probe, json(401, "unauthorized", "no"))).isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void onlyTheHttpServerMayRefuseWithoutABody() {
    Probe backslash =
        new Probe(
            CHALLENGE,
            "/v1/challenge",
            new PathVariant("backslash", "/v1\\challenge", PathVariant.Kind.FIREWALL),
            Credential.NONE,
            false,
            false);
    RawHttp.Answer bare = new RawHttp.Answer(400, "", "", null, 1);

    assertThat(judge(backslash, bare)).isEqualTo(new Verdict.Refused(true));
    assertThat(judge(probe("/v1;x/challenge", false), bare)).isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void aControlThatLooksLikeARefusalTellsNothing() {
    assertThat(Verdict.Control.of(json(401, "unauthorized", "no"), NO_ROUTE).telling()).isFalse();
    assertThat(
            Verdict.Control.of(
                    json(404, "not_found", "The requested resource was not found."), NO_ROUTE)
                .telling())
        .isFalse();
    assertThat(CONTROL.telling()).isTrue();
  }

  private static Verdict.Outcome judge(Probe probe, RawHttp.Answer answer) {
    return Verdict.judge(probe, answer, CONTROL, List.of("s3cr3t"));
  }

  private static Probe probe(String rawPath, boolean right) {
    PathVariant variant =
        rawPath.equals("/v1/challenge")
            ? null
            : new PathVariant(
                "spelling",
                rawPath,
                rawPath.contains(";") ? PathVariant.Kind.FIREWALL : PathVariant.Kind.ALIAS);
    Credential credential =
        right
            ? new Credential("basic:api-secret", Map.of("Authorization", "Basic x"))
            : Credential.NONE;
    return new Probe(CHALLENGE, "/v1/challenge", variant, credential, right, false);
  }

  private static RawHttp.Answer json(int status, String error, String description) {
    return new RawHttp.Answer(
        status,
        "application/json",
        "{\"error\":\""
            + error
            + "\",\"errorCode\":\""
            + error
            + "\",\"errorDescription\":\""
            + description
            + "\"}",
        null,
        1);
  }
}
