package dev.signet.e2e.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concrete, harmless paths for a route pattern: path variables become values no other test uses (a
 * probe user, a probe action, ids that do not exist), so a request that wrongly gets through
 * changes nothing another test relies on; wildcards of static-file patterns become a file name.
 */
final class ProbePaths {

  /** A file name for {@code **} and {@code *} of resource-handler patterns. */
  static final String PROBE_FILE = "hostile-probe.txt";

  /** Values per variable name; a variable not listed gets {@link #DEFAULT_VALUE}. */
  static final Map<String, List<String>> VALUES =
      Map.ofEntries(
          Map.entry("userId", List.of("hostile-probe-user")),
          Map.entry("action", List.of("hostileProbe")),
          Map.entry("actionCode", List.of("hostileProbe")),
          Map.entry("idempotencyKey", List.of("hostile-probe-key")),
          Map.entry("userAuthenticatorId", List.of("hostile-probe-authenticator")),
          Map.entry("ruleId", List.of("hostile-probe-rule")),
          Map.entry("challengeId", List.of("hostile-probe-challenge")),
          Map.entry("kind", List.of("prefix")),
          Map.entry("value", List.of("hostile-probe")),
          Map.entry("tenantId", List.of("signet")),
          // /actuator/health/{*path}: the two public probes, and a component with details
          Map.entry("path", List.of("liveness", "readiness", "mongo")));

  static final String DEFAULT_VALUE = "hostile-probe";

  private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([A-Za-z0-9_]+)(:[^}]*)?}");

  private ProbePaths() {}

  /** Every concrete path of a pattern (more than one when a variable has several values). */
  static List<String> of(String pattern) {
    return of(pattern, Map.of());
  }

  /** The same, with some variables taking other values (e.g. real ids for reads). */
  static List<String> of(String pattern, Map<String, List<String>> overrides) {
    List<String> paths = new ArrayList<>();
    paths.add("");
    for (String segment : pattern.substring(1).split("/", -1)) {
      List<String> values = segmentValues(segment, overrides);
      List<String> grown = new ArrayList<>();
      for (String prefix : paths) {
        for (String value : values) {
          grown.add(prefix + "/" + value);
        }
      }
      paths = grown;
    }
    return paths;
  }

  private static List<String> segmentValues(String segment, Map<String, List<String>> overrides) {
    if (segment.equals("**")) {
      return List.of(PROBE_FILE);
    }
    Matcher variable = VARIABLE.matcher(segment);
    if (variable.find()) {
      if (variable.start() != 0 || variable.end() != segment.length()) {
        throw new IllegalArgumentException("a variable inside a segment: " + segment);
      }
      String name = variable.group(1);
      return overrides.getOrDefault(name, VALUES.getOrDefault(name, List.of(DEFAULT_VALUE)));
    }
    if (segment.equals("*")) {
      return List.of(PROBE_FILE);
    }
    // e.g. /swagger-ui/*index.html: any prefix, here none
    return List.of(segment.replace("*", "").replace("?", "x"));
  }
}
