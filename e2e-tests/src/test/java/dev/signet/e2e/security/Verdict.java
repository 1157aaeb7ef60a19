package dev.signet.e2e.security;

import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether a hostile request was refused. Refused means: 400, 401, 403, 404 or 405 (only 400
 * or 404 for a firewall spelling sent with the right credential), the JSON error body every API
 * shares ({@code error}, the same code as {@code errorCode}, and {@code errorDescription}), no
 * secret echoed, and not the very answer the route gives its genuine caller: a {@code 400
 * invalid_request} to an unauthenticated {@code POST /v1;x/challenge} came from the handler, so the
 * request got past authentication even though its status looks like a refusal.
 */
final class Verdict {

  static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 404, 405);
  static final Set<Integer> FIREWALL_REFUSALS = Set.of(400, 404);

  /**
   * The HTTP server refuses a request line over its limit (414) or one that is no URI at all (a raw
   * backslash, 400) before any application code runs, so it cannot write a JSON body there. Those
   * two refusals are counted apart, not as accepted.
   */
  static final Set<String> SERVER_LEVEL_VARIANTS =
      Set.of("overlong-" + PathVariants.OVERLONG, "backslash");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Verdict() {}

  /** The outcome of one request. */
  sealed interface Outcome permits Refused, Accepted {}

  /**
   * @param byHttpServer refused before the application (see {@link #SERVER_LEVEL_VARIANTS})
   */
  record Refused(boolean byHttpServer) implements Outcome {}

  record Accepted(String reason) implements Outcome {}

  /**
   * What the route answers its genuine caller (plain path, right credential), and whether that
   * answer tells "reached the handler" apart from a refusal: not when it is itself a 401/403 or one
   * of the service's answers to a path no route has (with and without a credential).
   */
  record Control(RawHttp.Answer answer, String fingerprint, boolean telling) {

    static Control of(RawHttp.Answer answer, Set<String> noRouteFingerprints) {
      String fingerprint = Verdict.fingerprint(answer);
      boolean telling =
          answer.failure() == null
              && answer.status() != 401
              && answer.status() != 403
              && !noRouteFingerprints.contains(fingerprint);
      return new Control(answer, fingerprint, telling);
    }
  }

  static Outcome judge(Probe probe, RawHttp.Answer answer, Control control, List<String> secrets) {
    if (answer.failure() != null) {
      return new Accepted(answer.failure());
    }
    int status = answer.status();
    if (SERVER_LEVEL_VARIANTS.contains(probe.variantName())
        && (status == 400 || status == 414)
        && answer.body().isEmpty()) {
      return new Refused(true);
    }
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty() && answer.body().contains(secret)) {
        return new Accepted("the answer contains a secret");
      }
    }
    if (status >= 200 && status < 300) {
      return new Accepted("served");
    }
    if (status >= 500) {
      return new Accepted("server error");
    }
    Set<Integer> allowed =
        probe.rightCredential() && !probe.publicRoute() ? FIREWALL_REFUSALS : REFUSALS;
    if (!allowed.contains(status)) {
      return new Accepted("status " + status + " is not one of " + allowed);
    }
    if (!isJsonError(answer)) {
      return new Accepted("not a JSON error body");
    }
    if (control != null && control.telling() && fingerprint(answer).equals(control.fingerprint())) {
      return new Accepted("same answer as the genuine caller gets: it reached the handler");
    }
    return new Refused(false);
  }

  static boolean isJsonError(RawHttp.Answer answer) {
    String type = answer.contentType().toLowerCase(java.util.Locale.ROOT);
    if (!type.startsWith("application/json") && !type.startsWith("application/problem+json")) {
      return false;
    }
    JsonNode body = parse(answer.body());
    return body != null
        && body.isObject()
        && body.path("error").isString()
        && !body.path("error").asString().isBlank()
        && body.path("errorCode").isString()
        && body.path("errorCode").asString().equals(body.path("error").asString())
        && body.path("errorDescription").isString();
  }

  /** Status, error code and description: what tells one error answer from another. */
  static String fingerprint(RawHttp.Answer answer) {
    JsonNode body = parse(answer.body());
    if (body != null && body.isObject() && body.has("error")) {
      return answer.status()
          + " "
          + body.path("error").asString("")
          + " "
          + body.path("errorDescription").asString("");
    }
    String text = answer.body();
    return answer.status() + " " + text.substring(0, Math.min(200, text.length()));
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
