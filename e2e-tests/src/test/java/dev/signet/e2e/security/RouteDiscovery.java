package dev.signet.e2e.security;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every route of every service, read from the running applications' own {@code /actuator/mappings}
 * (with the management secret), so the suite covers a route the day it is added, with no list to
 * keep up to date. A service that reports no route, or a mapping the parser cannot read, stops the
 * suite.
 */
final class RouteDiscovery {

  /** The services behind the public, management, webhook and dashboard surfaces (stack.json). */
  static final List<String> SERVICES = List.of("challenge", "rules", "dispatcher", "audit");

  private RouteDiscovery() {}

  static Map<String, List<Route>> discover(RunningStack stack) {
    Http http = new Http();
    Map<String, List<Route>> out = new LinkedHashMap<>();
    for (String service : SERVICES) {
      Http.Reply reply =
          http.get(stack.url(service) + "/actuator/mappings", "Bearer " + stack.managementSecret());
      if (reply.status() != 200) {
        throw new IllegalStateException(
            service
                + ": /actuator/mappings answered "
                + reply.status()
                + ": "
                + reply.raw().body());
      }
      save(service, reply.raw().body());
      List<Route> routes = MappingsParser.parse(service, reply.body());
      if (routes.isEmpty()) {
        throw new IllegalStateException(service + ": /actuator/mappings reported no route");
      }
      out.put(service, routes);
    }
    return out;
  }

  /** Keeps what the service reported, to see what the suite saw (and to refresh the samples). */
  private static void save(String service, String mappings) {
    Path file =
        RunningStack.repositoryRoot().resolve("e2e-tests/target/mappings/" + service + ".json");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, mappings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
