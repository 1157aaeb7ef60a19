package dev.signet.e2e.security;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The only routes anyone may call without a credential, each with the reason. Every route the
 * services report that is not listed here is treated as protected, so a route added later that is
 * public by mistake fails the hostile suite instead of slipping through. Public routes still get
 * the spellings a strict firewall must refuse; the signed webhooks get every hostile request,
 * because their signature check must refuse an unsigned one.
 */
final class PublicRoutes {

  /** How open a public route is. */
  enum Access {
    /** Served to anyone: only the path spellings are hostile. */
    OPEN,
    /** Reached without a credential but checks a signature itself: unsigned must be refused. */
    SIGNED
  }

  /**
   * A public route: the services ({@code *} for all) and the route pattern exactly as the mappings
   * report it, or (with {@code under}) every pattern that starts with it.
   */
  record Entry(Set<String> services, String pattern, boolean under, Access access, String why) {

    static Entry exact(Set<String> services, String pattern, String why) {
      return new Entry(services, pattern, false, Access.OPEN, why);
    }

    static Entry under(Set<String> services, String prefix, String why) {
      if (!prefix.endsWith("/")) {
        throw new IllegalArgumentException("a prefix ends with /: " + prefix);
      }
      return new Entry(services, prefix, true, Access.OPEN, why);
    }

    Entry signed() {
      return new Entry(services, pattern, under, Access.SIGNED, why);
    }

    boolean matches(Route route) {
      boolean service = services.contains("*") || services.contains(route.service());
      boolean path = under ? route.pattern().startsWith(pattern) : route.pattern().equals(pattern);
      return service && path;
    }

    /**
     * The literal start of the pattern (before any variable or wildcard), from which a detour like
     * {@code /actuator/health/../../v1/...} starts; empty for the root.
     */
    String literalPrefix() {
      StringBuilder out = new StringBuilder();
      for (String segment : pattern.substring(1).split("/")) {
        if (segment.isEmpty() || segment.contains("{") || segment.contains("*")) {
          break;
        }
        out.append('/').append(segment);
      }
      return out.toString();
    }
  }

  private static final Set<String> ALL = Set.of("*");
  private static final Set<String> CHALLENGE = Set.of("challenge");
  private static final Set<String> DISPATCHER = Set.of("dispatcher");
  private static final Set<String> AUDIT = Set.of("audit");
  private static final Set<String> OPENAPI = Set.of("rules", "audit");

  static final List<Entry> ENTRIES =
      List.of(
          Entry.exact(ALL, "/actuator/health", "health check of ./run, compose and orchestrators"),
          Entry.exact(ALL, "/actuator/health/{*path}", "liveness and readiness probes"),
          Entry.exact(ALL, "/actuator/info", "build information (empty today)"),
          Entry.exact(ALL, "/**", "Spring Boot's static files (classpath static/), no data"),
          Entry.under(ALL, "/webjars/", "static files of web jars"),
          Entry.exact(CHALLENGE, "/.well-known/jwks.json", "the public keys that verify tokens"),
          Entry.under(CHALLENGE, "/v1/client/public/", "the same keys where the client SDKs look"),
          Entry.under(DISPATCHER, "/webhooks/vonage/", "Vonage delivery receipts, signed").signed(),
          Entry.exact(AUDIT, "/", "redirects to the dashboard"),
          Entry.exact(AUDIT, "/dashboard", "redirects to the dashboard"),
          Entry.exact(AUDIT, "/dashboard/", "the dashboard page with its sign-in form"),
          Entry.exact(AUDIT, "/dashboard/api/login", "dashboard sign-in (needs the CSRF header)"),
          Entry.exact(OPENAPI, "/v3/api-docs", "OpenAPI: docs/*-service.md say no authentication"),
          Entry.exact(OPENAPI, "/v3/api-docs.yaml", "OpenAPI as YAML"),
          Entry.exact(OPENAPI, "/v3/api-docs/swagger-config", "Swagger UI's settings"),
          Entry.exact(OPENAPI, "/swagger-ui.html", "Swagger UI"),
          Entry.under(OPENAPI, "/swagger-ui/", "Swagger UI's files"));

  private PublicRoutes() {}

  static Optional<Entry> find(Route route) {
    return ENTRIES.stream().filter(e -> e.matches(route)).findFirst();
  }

  /** How many public prefixes each route gets a detour from. */
  static final int DETOURS = 3;

  /**
   * Where detours may start on a service: literal prefixes of its public routes (what a
   * prefix-based "permit" rule lets through), the deepest per first segment, and of those the
   * {@link #DETOURS} deepest (the most {@code ..} for a normaliser to get wrong).
   */
  static Set<String> detourPrefixes(String service) {
    Map<String, String> deepest = new LinkedHashMap<>();
    for (Entry entry : ENTRIES) {
      if (entry.services().contains("*") || entry.services().contains(service)) {
        String prefix = entry.literalPrefix();
        if (!prefix.isEmpty()) {
          String first = prefix.split("/")[1];
          deepest.merge(first, prefix, (a, b) -> depth(b) > depth(a) ? b : a);
        }
      }
    }
    List<String> prefixes = new java.util.ArrayList<>(deepest.values());
    prefixes.sort(java.util.Comparator.comparingInt(PublicRoutes::depth).reversed());
    return new LinkedHashSet<>(prefixes.subList(0, Math.min(DETOURS, prefixes.size())));
  }

  private static int depth(String prefix) {
    return prefix.split("/").length;
  }
}
