package dev.signet.e2e.security;

/**
 * One hostile request of the plan: a route, the path as sent, the spelling it uses ({@code null}:
 * the plain path) and the credential. {@code rightCredential} marks the requests that carry the
 * route's genuine credential with a spelling a strict firewall must refuse.
 */
record Probe(
    Route route,
    String path,
    PathVariant variant,
    Credential credential,
    boolean rightCredential,
    boolean publicRoute) {

  String rawPath() {
    return variant == null ? path : variant.rawPath();
  }

  String variantName() {
    return variant == null ? "plain" : variant.name();
  }

  /** The variant's family without its position ({@code matrix@2} is a {@code matrix}). */
  String family() {
    String name = variantName();
    int cut = name.indexOf('@');
    return cut < 0 ? name : name.substring(0, cut);
  }

  RawHttp.Request request() {
    String method = route.method();
    boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    // An empty JSON object: a request that wrongly gets through fails validation or touches a
    // probe id, and never sends an SMS or changes what other tests rely on.
    String contentType =
        route.consumes().isEmpty() || route.consumes().contains("application/json")
            ? "application/json"
            : route.consumes().get(0);
    return new RawHttp.Request(
        method, rawPath(), credential.headers(), contentType, body ? "{}" : null);
  }
}
