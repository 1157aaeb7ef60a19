package dev.signet.e2e.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The only requests anyone may make without a credential, each with the reason; the list follows
 * docs/security.md. Every route the services report that is not listed here is treated as
 * protected, so a route added later that is public by mistake fails the hostile suite instead of
 * slipping through. Public routes still get the spellings a strict firewall must refuse; the signed
 * webhooks get every hostile request, because their signature check must refuse an unsigned one.
 */
final class PublicRoutes {

  /** How open a public route is. */
  enum Access {
    /** Served to anyone: only the firewall spellings are hostile. */
    OPEN,
    /** Reached without a credential but checks a signature itself: unsigned must be refused. */
    SIGNED
  }

  /**
   * Public requests: the services ({@code *} for all), the methods, and a concrete path, either
   * exactly or (with {@code under}) every path below it except those below {@code except}.
   */
  record Entry(
      Set<String> services,
      Set<String> methods,
      String path,
      boolean under,
      String except,
      Access access,
      String why) {

    static Entry exact(Set<String> services, String method, String path, String why) {
      return new Entry(services, Set.of(method), path, false, null, Access.OPEN, why);
    }

    static Entry under(Set<String> services, String method, String prefix, String why) {
      if (!prefix.endsWith("/")) {
        throw new IllegalArgumentException("a prefix ends with /: " + prefix);
      }
      return new Entry(services, Set.of(method), prefix, true, null, Access.OPEN, why);
    }

    Entry except(String prefix) {
      return new Entry(services, methods, path, under, prefix, access, why);
    }

    Entry signed(String... otherMethods) {
      Set<String> all = new LinkedHashSet<>(methods);
      all.addAll(List.of(otherMethods));
      return new Entry(services, all, path, under, except, Access.SIGNED, why);
    }

    boolean matches(String service, String method, String concretePath) {
      boolean inService = services.contains("*") || services.contains(service);
      boolean inPath =
          under
              ? concretePath.startsWith(path)
                  && (except == null || !concretePath.startsWith(except))
              : concretePath.equals(path);
      return inService && methods.contains(method) && inPath;
    }

    /**
     * The path a detour like {@code /actuator/health/liveness/../../../v1/...} starts from, without
     * a trailing slash; empty for the root.
     */
    String literalPrefix() {
      return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
  }

  private static final Set<String> ALL = Set.of("*");
  private static final Set<String> CHALLENGE = Set.of("challenge");
  private static final Set<String> DISPATCHER = Set.of("dispatcher");
  private static final Set<String> AUDIT = Set.of("audit");

  static final List<Entry> ENTRIES =
      List.of(
          Entry.exact(ALL, "GET", "/actuator/health/liveness", "liveness probe (status only)"),
          Entry.exact(ALL, "GET", "/actuator/health/readiness", "readiness probe (status only)"),
          Entry.exact(CHALLENGE, "GET", "/.well-known/jwks.json", "public keys that verify tokens"),
          Entry.under(CHALLENGE, "GET", "/v1/client/public/", "the same keys for the client SDKs"),
          Entry.under(CHALLENGE, "GET", "/ui/assets/", "the hosted page's script and style"),
          Entry.exact(CHALLENGE, "GET", "/ui/brand.css", "the hosted page's configured colour"),
          Entry.exact(CHALLENGE, "GET", "/ui/brand/logo", "the hosted page's configured logo"),
          Entry.under(DISPATCHER, "GET", "/webhooks/vonage/", "Vonage's receipts, signed")
              .signed("POST"),
          Entry.exact(DISPATCHER, "POST", "/webhooks/twilio/status", "Twilio's statuses, signed")
              .signed(),
          Entry.exact(AUDIT, "GET", "/", "redirects to the dashboard"),
          Entry.exact(AUDIT, "GET", "/dashboard", "redirects to the dashboard"),
          Entry.exact(AUDIT, "GET", "/dashboard/", "the dashboard page with its sign-in form"),
          Entry.under(AUDIT, "GET", "/dashboard/", "the dashboard's static files, no data")
              .except("/dashboard/api/"),
          Entry.exact(AUDIT, "GET", "/dashboard/api/login", "which sign-in methods there are"),
          Entry.exact(AUDIT, "POST", "/dashboard/api/login", "sign-in (with the CSRF header)"));

  private PublicRoutes() {}

  static Optional<Entry> find(String service, String method, String concretePath) {
    return ENTRIES.stream().filter(e -> e.matches(service, method, concretePath)).findFirst();
  }

  /** How many public prefixes each route gets a detour from. */
  static final int DETOURS = 3;

  /**
   * Where detours may start on a service: the literal paths of its public routes (what a
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
    List<String> prefixes = new ArrayList<>(deepest.values());
    prefixes.sort(Comparator.comparingInt(PublicRoutes::depth).reversed());
    return new LinkedHashSet<>(prefixes.subList(0, Math.min(DETOURS, prefixes.size())));
  }

  private static int depth(String prefix) {
    return prefix.split("/").length;
  }
}
