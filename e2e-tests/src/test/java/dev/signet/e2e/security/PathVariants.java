package dev.signet.e2e.security;

import dev.signet.e2e.security.PathVariant.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The hostile spellings of one concrete path: the tricks that make a filter deciding on the raw
 * path ({@code startsWith("/v1/")}) and a router matching the decoded, normalised path disagree
 * about which route a request is for. Pure, so the unit test can pin what is sent.
 */
final class PathVariants {

  /** Longer than Netty's default request line (4,096): the HTTP server itself must refuse it. */
  static final int OVERLONG = 5_000;

  /** Under the request-line limit, so the application sees it. */
  static final int LONG = 3_000;

  private PathVariants() {}

  /**
   * @param path a concrete path ({@code /v1/users/u1}), no query
   * @param detourPrefixes public path prefixes of the same service ({@code /actuator/health}):
   *     {@code <prefix>/../../<path>} starts like a public path but resolves to the route
   */
  static List<PathVariant> of(String path, Collection<String> detourPrefixes) {
    if (!path.startsWith("/") || path.contains("%") || path.contains("?")) {
      throw new IllegalArgumentException("not a concrete path: " + path);
    }
    List<String> segments = List.of(path.substring(1).split("/", -1));
    int n = segments.size();
    Map<String, PathVariant> out = new LinkedHashMap<>();
    Adder add =
        (name, raw, kind) -> {
          if (!raw.equals(path)) {
            out.putIfAbsent(raw, new PathVariant(name, raw, kind));
          }
        };

    // Matrix parameters: the router drops ";x" from a segment, a prefix check does not.
    for (int i = 0; i < n; i++) {
      add.add("matrix@" + i, withSegment(segments, i, segments.get(i) + ";x"), Kind.FIREWALL);
    }
    add.add("matrix-empty", withSegment(segments, 0, segments.get(0) + ";"), Kind.FIREWALL);

    // Percent-encoding: each character of the first two segments in turn, the first segment whole
    // and the whole path; the router decodes, a prefix check does not.
    int encodedSegments = 0;
    for (int i = 0; i < n && encodedSegments < 2; i++) {
      String segment = segments.get(i);
      if (segment.isEmpty()) {
        continue;
      }
      encodedSegments++;
      for (int j = 0; j < segment.length(); j++) {
        String spelled =
            segment.substring(0, j) + encode(segment.charAt(j)) + segment.substring(j + 1);
        add.add(
            "encoded@" + i + "." + j, withSegment(segments, i, spelled), kindOfEncoded(spelled));
      }
      if (encodedSegments == 1) {
        String whole = encodeAll(segment);
        add.add("encoded-segment@" + i, withSegment(segments, i, whole), kindOfEncoded(whole));
      }
    }
    StringBuilder all = new StringBuilder();
    for (String segment : segments) {
      all.append('/').append(encodeAll(segment));
    }
    add.add("encoded-all", all.toString(), kindOfEncoded(all.toString()));

    String upper = path.toUpperCase(Locale.ROOT);
    if (!upper.equals(path)) {
      add.add("upper-case", upper, Kind.MISS);
    }

    // Non-normalised paths: doubled slashes, "." and ".." segments, and detours from a public
    // prefix ("/actuator/health/../../v1/...") that resolve to the route.
    // At the start and after the first segment, where prefix checks look, and before the last
    // segment, where a catch-all variable ({*path}) takes the dot segments in.
    for (int k : new TreeSet<>(List.of(0, Math.min(1, n - 1), n - 1))) {
      add.add("double-slash@" + k, afterSlash(path, k, "/"), Kind.FIREWALL);
      add.add("dot@" + k, afterSlash(path, k, "./"), Kind.FIREWALL);
      add.add("dotdot@" + k, afterSlash(path, k, "x/../"), Kind.FIREWALL);
    }
    for (String prefix : detourPrefixes) {
      int depth = prefix.substring(1).split("/").length;
      add.add("detour:" + prefix, prefix + "/..".repeat(depth) + path, Kind.FIREWALL);
    }
    int second = Math.min(1, n - 1);
    add.add("encoded-dot", afterSlash(path, second, "%2e/"), Kind.FIREWALL);
    add.add("encoded-dotdot", afterSlash(path, second, "x/%2e%2e/"), Kind.FIREWALL);
    add.add("dotdot-semicolon", afterSlash(path, second, "x/..;/"), Kind.FIREWALL);

    if (!path.endsWith("/")) {
      add.add("trailing-slash", path + "/", Kind.MISS);
    }

    // NUL, encoded separators, double encoding and a raw backslash.
    add.add("nul", path + "%00", Kind.FIREWALL);
    add.add("nul@0", withSegment(segments, 0, segments.get(0) + "%00"), Kind.FIREWALL);
    add.add("encoded-slash", separator(path, n, "%2f"), Kind.FIREWALL);
    add.add("encoded-slash-upper", separator(path, n, "%2F"), Kind.FIREWALL);
    add.add("encoded-backslash", separator(path, n, "%5c"), Kind.FIREWALL);
    add.add("backslash", separator(path, n, "\\"), Kind.FIREWALL);
    String first = segments.get(0);
    add.add(
        "double-encoded",
        first.isEmpty()
            ? path + "%2541"
            : withSegment(
                segments, 0, "%25" + encode(first.charAt(0)).substring(1) + first.substring(1)),
        Kind.FIREWALL);

    add.add("overlong-" + OVERLONG, slashEnded(path) + "a".repeat(OVERLONG), Kind.MISS);
    add.add("overlong-" + LONG, slashEnded(path) + "a".repeat(LONG), Kind.MISS);
    return List.copyOf(out.values());
  }

  /** Only the spellings a strict firewall must refuse whoever sends them. */
  static List<PathVariant> firewallOnly(List<PathVariant> variants) {
    return variants.stream().filter(v -> v.kind() == Kind.FIREWALL).toList();
  }

  private interface Adder {
    void add(String name, String raw, Kind kind);
  }

  private static Kind kindOfEncoded(String spelled) {
    // an encoded "." is one of the firewall's refusals, an encoded letter only an alias
    return spelled.toLowerCase(Locale.ROOT).contains("%2e") ? Kind.FIREWALL : Kind.ALIAS;
  }

  private static String withSegment(List<String> segments, int index, String replacement) {
    List<String> copy = new ArrayList<>(segments);
    copy.set(index, replacement);
    return "/" + String.join("/", copy);
  }

  /** Inserts {@code text} right after the k-th slash of the path (k from 0). */
  private static String afterSlash(String path, int k, String text) {
    int at = -1;
    for (int i = 0; i <= k; i++) {
      at = path.indexOf('/', at + 1);
    }
    return path.substring(0, at + 1) + text + path.substring(at + 1);
  }

  /** The path with its second slash replaced (or, with one segment, a separator put first). */
  private static String separator(String path, int n, String separator) {
    if (n < 2) {
      return "/" + separator + path.substring(1);
    }
    int second = path.indexOf('/', 1);
    return path.substring(0, second) + separator + path.substring(second + 1);
  }

  private static String slashEnded(String path) {
    return path.endsWith("/") ? path : path + "/";
  }

  private static String encode(char c) {
    StringBuilder out = new StringBuilder();
    for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(String.format("%02X", b & 0xff));
    }
    return out.toString();
  }

  private static String encodeAll(String segment) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      out.append(encode(segment.charAt(i)));
    }
    return out.toString();
  }
}
