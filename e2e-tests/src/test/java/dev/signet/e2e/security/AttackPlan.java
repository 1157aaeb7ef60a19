package dev.signet.e2e.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Crosses every route with every path spelling and every credential: the whole list of hostile
 * requests, plus, per route, the genuine request whose answer tells a refusal apart from a request
 * that reached the handler. Protected routes get every wrong credential on the plain path and on
 * each spelling, and their right credential on the firewall spellings; open public routes get only
 * the firewall spellings; signed webhooks get everything unsigned.
 */
final class AttackPlan {

  /** One concrete path of one route, its genuine request and its hostile ones. */
  record Target(
      Route route,
      String path,
      Surface surface,
      PublicRoutes.Entry publicEntry,
      Credential genuine,
      List<Probe> probes) {

    Probe control() {
      return new Probe(route, path, null, genuine, true, publicEntry != null);
    }
  }

  private AttackPlan() {}

  /**
   * @param readValues path-variable values for GET routes (real ids, so a read that gets through
   *     returns data); writes keep {@link ProbePaths}' ids that exist nowhere
   */
  static List<Target> build(
      Map<String, List<Route>> routes,
      Credentials credentials,
      Map<String, List<String>> readValues) {
    return build(routes, credentials, readValues, Map.of());
  }

  /**
   * @param staticFiles files a service's catch-all static-file route ({@code /**}) really serves
   *     (the dashboard's scripts and styles), probed besides a file that does not exist
   */
  static List<Target> build(
      Map<String, List<Route>> routes,
      Credentials credentials,
      Map<String, List<String>> readValues,
      Map<String, List<String>> staticFiles) {
    List<Target> targets = new ArrayList<>();
    routes.forEach(
        (service, serviceRoutes) -> {
          Set<String> detours = PublicRoutes.detourPrefixes(service);
          for (Route route : serviceRoutes) {
            Map<String, List<String>> values = route.method().equals("GET") ? readValues : Map.of();
            List<String> paths = new ArrayList<>(ProbePaths.of(route.pattern(), values));
            if (route.source() == Route.Source.RESOURCE_HANDLER && route.pattern().equals("/**")) {
              paths.addAll(staticFiles.getOrDefault(service, List.of()));
            }
            for (String path : paths) {
              targets.add(target(route, path, detours, credentials));
            }
          }
        });
    return targets;
  }

  private static Target target(
      Route route, String path, Set<String> detours, Credentials allCredentials) {
    Credentials credentials = allCredentials.forPath(path);
    Surface surface = Surface.of(route.service(), path);
    PublicRoutes.Entry entry =
        PublicRoutes.find(route.service(), route.method(), path).orElse(null);
    List<PathVariant> variants = PathVariants.of(path, detours);
    List<Probe> probes = new ArrayList<>();
    if (entry != null && entry.access() == PublicRoutes.Access.OPEN) {
      Credential open = credentials.publicCredential(surface);
      // Another spelling of public content may well be served (an encoded letter, a trailing
      // slash); only the spellings a strict firewall refuses must never be.
      for (PathVariant variant : PathVariants.firewallOnly(variants)) {
        probes.add(new Probe(route, path, variant, open, true, true));
      }
      return new Target(route, path, surface, entry, open, probes);
    }
    boolean signed = entry != null;
    for (Credential wrong : credentials.wrong(surface)) {
      probes.add(new Probe(route, path, null, wrong, false, signed));
      for (PathVariant variant : variants) {
        probes.add(new Probe(route, path, variant, wrong, false, signed));
      }
    }
    Credential right = signed ? Credential.NONE : credentials.right(surface);
    if (!signed) {
      for (PathVariant variant : PathVariants.firewallOnly(variants)) {
        probes.add(new Probe(route, path, variant, right, true, false));
      }
    }
    return new Target(route, path, surface, entry, right, probes);
  }
}
