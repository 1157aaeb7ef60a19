package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The plan built from the captured mappings: what is public, and what each route receives. */
class AttackPlanTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Credentials CREDENTIALS =
      new Credentials(
          "api-secret",
          "management-secret",
          "client.token.sig",
          Map.of("none", "forged.token."),
          "signet-dashboard=v1.b3A.123.c2ln",
          "signet-dashboard=v1.b3B.456.c2lo");
  private static final List<AttackPlan.Target> PLAN =
      AttackPlan.build(
          captured(), CREDENTIALS, Map.of(), Map.of("audit", List.of("/dashboard/js/app.js")));

  @Test
  void onlyTheListedRoutesArePublic() {
    assertThat(PLAN)
        .filteredOn(t -> t.publicEntry() != null)
        .extracting(t -> t.route().service() + " " + t.route().method() + " " + t.path())
        .containsExactlyInAnyOrder(
            "challenge GET /.well-known/jwks.json",
            "challenge GET /v1/client/public/signet/.well-known/jwks",
            "dispatcher GET /webhooks/vonage/delivery-receipt",
            "dispatcher POST /webhooks/vonage/delivery-receipt",
            "audit GET /",
            "audit GET /dashboard",
            "audit GET /dashboard/",
            "audit GET /dashboard/js/app.js",
            "audit GET /dashboard/api/login",
            "audit POST /dashboard/api/login",
            "challenge GET /actuator/health/liveness",
            "challenge GET /actuator/health/readiness",
            "rules GET /actuator/health/liveness",
            "rules GET /actuator/health/readiness",
            "dispatcher GET /actuator/health/liveness",
            "dispatcher GET /actuator/health/readiness",
            "audit GET /actuator/health/liveness",
            "audit GET /actuator/health/readiness");
  }

  @Test
  void healthDetailsInfoOpenApiAndStaticFilesElsewhereAreProtected() {
    assertThat(PLAN)
        .filteredOn(t -> t.publicEntry() == null)
        .extracting(t -> t.route().service() + " " + t.path())
        .contains(
            "challenge /actuator/health",
            "challenge /actuator/health/mongo",
            "challenge /actuator/info",
            "rules /v3/api-docs",
            "audit /v3/api-docs",
            "audit /swagger-ui.html",
            "challenge /hostile-probe.txt",
            "audit /hostile-probe.txt",
            "audit /dashboard/api/reviews");
  }

  @Test
  void protectedRoutesGetEveryWrongCredentialPlainAndSpelled() {
    AttackPlan.Target challenge = target("challenge", "POST", "/v1/challenge");

    assertThat(challenge.publicEntry()).isNull();
    assertThat(challenge.genuine().name()).isEqualTo("basic:api-secret");
    assertThat(challenge.probes())
        .filteredOn(p -> p.variant() == null)
        .extracting(p -> p.credential().name())
        .containsExactly(
            "none",
            "basic:wrong-secret",
            "basic:management-secret",
            "bearer:api-secret",
            "bearer:client-token");
    assertThat(challenge.probes())
        .filteredOn(Probe::rightCredential)
        .allMatch(p -> p.variant().kind() == PathVariant.Kind.FIREWALL)
        .isNotEmpty();
    assertThat(challenge.probes())
        .filteredOn(p -> p.credential().name().equals("none"))
        .extracting(Probe::rawPath)
        .contains("/v1;x/challenge", "/%76%31/challenge", "/v1/challenge");
  }

  @Test
  void openPublicRoutesGetOnlyTheFirewallSpellings() {
    AttackPlan.Target jwks = target("challenge", "GET", "/.well-known/jwks.json");

    assertThat(jwks.probes())
        .isNotEmpty()
        .allMatch(p -> p.variant() != null && p.variant().kind() == PathVariant.Kind.FIREWALL)
        .allMatch(p -> p.credential().name().equals("none"));
    assertThat(target("audit", "POST", "/dashboard/api/login").probes())
        .allMatch(p -> p.credential().headers().equals(Map.of("X-Signet-Dashboard", "1")));
  }

  @Test
  void signedWebhooksGetEveryUnsignedRequest() {
    AttackPlan.Target webhook = target("dispatcher", "POST", "/webhooks/vonage/delivery-receipt");

    assertThat(webhook.probes())
        .anyMatch(p -> p.variant() == null && p.credential().name().equals("none"))
        .anyMatch(p -> p.variant() != null && p.variant().kind() == PathVariant.Kind.ALIAS)
        .noneMatch(Probe::rightCredential);
  }

  @Test
  void theDashboardApiIsCalledWithAndWithoutCookieAndHeader() {
    AttackPlan.Target reviews = target("audit", "GET", "/dashboard/api/reviews");

    assertThat(reviews.genuine().name()).isEqualTo("cookie+csrf");
    assertThat(reviews.probes())
        .extracting(p -> p.credential().name())
        .contains("none", "csrf-without-cookie", "cookie-without-csrf", "forged-cookie+csrf");
  }

  @Test
  void signingOutUsesASessionOfItsOwn() {
    assertThat(target("audit", "POST", "/dashboard/api/logout").genuine().headers())
        .containsEntry("Cookie", "signet-dashboard=v1.b3B.456.c2lo");
    assertThat(target("audit", "GET", "/dashboard/api/reviews").genuine().headers())
        .containsEntry("Cookie", "signet-dashboard=v1.b3A.123.c2ln");
  }

  @Test
  void detoursStartFromTheDeepestPublicPrefixesOfTheService() {
    assertThat(PublicRoutes.detourPrefixes("challenge"))
        .containsExactlyInAnyOrder(
            "/v1/client/public", "/ui/brand/logo", "/actuator/health/liveness");
    assertThat(PublicRoutes.detourPrefixes("audit")).contains("/dashboard/api/login");
    assertThat(target("challenge", "GET", "/v1/users").probes())
        .extracting(Probe::rawPath)
        .contains(
            "/v1/client/public/../../../v1/users", "/actuator/health/liveness/../../../v1/users");
  }

  @Test
  void sendsWellOverTheMinimum() {
    long requests = PLAN.stream().mapToLong(t -> t.probes().size()).sum();

    System.out.println("Hostile plan from the captured mappings: " + requests + " requests");
    assertThat(requests).isGreaterThan(2_000);
  }

  private static AttackPlan.Target target(String service, String method, String path) {
    return PLAN.stream()
        .filter(
            t ->
                t.route().service().equals(service)
                    && t.route().method().equals(method)
                    && t.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no target " + method + " " + path));
  }

  private static Map<String, List<Route>> captured() {
    Map<String, List<Route>> out = new LinkedHashMap<>();
    for (String service : RouteDiscovery.SERVICES) {
      String resource = "/security/mappings/" + service + ".json";
      try (InputStream in = AttackPlanTest.class.getResourceAsStream(resource)) {
        out.put(service, MappingsParser.parse(service, JSON.readTree(in)));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }
}
