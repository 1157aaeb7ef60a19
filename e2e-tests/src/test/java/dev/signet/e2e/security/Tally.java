package dev.signet.e2e.security;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what was sent and what got through, per service, and prints the report: totals, which
 * spellings and credentials got through where, and the first accepted requests in full.
 */
final class Tally {

  static final int EXAMPLES = 30;

  /** One hostile request and what became of it. */
  record Result(Probe probe, RawHttp.Answer answer, Verdict.Outcome outcome) {

    boolean accepted() {
      return outcome instanceof Verdict.Accepted;
    }

    String reason() {
      return outcome instanceof Verdict.Accepted a ? a.reason() : "refused";
    }
  }

  private final List<Result> results;

  Tally(List<Result> results) {
    this.results = List.copyOf(results);
  }

  int sent() {
    return results.size();
  }

  List<Result> accepted() {
    return results.stream().filter(Result::accepted).toList();
  }

  void print(PrintStream out, long millis) {
    out.printf(
        "%nHostile requests: %d sent in %.1f s, %d accepted%n",
        sent(), millis / 1000.0, accepted().size());
    out.printf("  %-11s %8s %9s %22s%n", "service", "sent", "accepted", "refused by HTTP server");
    for (String service : RouteDiscovery.SERVICES) {
      List<Result> mine =
          results.stream().filter(r -> r.probe().route().service().equals(service)).toList();
      out.printf(
          "  %-11s %8d %9d %22d%n",
          service,
          mine.size(),
          mine.stream().filter(Result::accepted).count(),
          mine.stream()
              .filter(r -> r.outcome() instanceof Verdict.Refused f && f.byHttpServer())
              .count());
    }
    out.printf("  %-11s %8d %9d%n", "total", sent(), accepted().size());
    results.stream()
        .max(java.util.Comparator.comparingLong(r -> r.answer().millis()))
        .ifPresent(
            r -> out.printf("Slowest answer: %d ms: %s%n", r.answer().millis(), describe(r)));
    if (accepted().isEmpty()) {
      return;
    }
    out.println("Accepted, by service and surface (spelling families, most first):");
    group(r -> r.probe().route().service() + " " + surface(r), r -> r.probe().family())
        .forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
    out.println("Accepted, by service (credentials, most first):");
    group(r -> r.probe().route().service(), r -> r.probe().credential().name())
        .forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
    out.println("Accepted, by reason:");
    breakdown(Result::reason).forEach((k, v) -> out.printf("  %6d  %s%n", v, k));
    out.printf(
        "First %d accepted (the first of each route, API routes first, services in turn):%n",
        EXAMPLES);
    for (Result r : examples()) {
      out.println("  " + describe(r));
    }
  }

  /**
   * Every request as a tab-separated line (service, method, path, credential, spelling and its
   * kind, status, milliseconds, verdict, start of the body), for whoever fixes what got through.
   */
  void write(java.nio.file.Path file) throws java.io.IOException {
    java.nio.file.Files.createDirectories(file.getParent());
    List<String> lines = new ArrayList<>();
    lines.add("service\tmethod\tpath\tcredential\tspelling\tkind\tstatus\tms\tverdict\tbody");
    for (Result r : results) {
      lines.add(
          String.join(
              "\t",
              r.probe().route().service(),
              r.probe().route().method(),
              shortPath(r.probe().rawPath()),
              r.probe().credential().name(),
              r.probe().variantName(),
              r.probe().variant() == null ? "PLAIN" : r.probe().variant().kind().name(),
              Integer.toString(r.answer().status()),
              Long.toString(r.answer().millis()),
              r.reason(),
              oneLine(r.answer().body(), 200)));
    }
    java.nio.file.Files.write(file, lines);
  }

  private static String shortPath(String path) {
    return path.length() > 120 ? path.substring(0, 100) + "...(" + path.length() + " chars)" : path;
  }

  static String describe(Result r) {
    String path = shortPath(r.probe().rawPath());
    String body = oneLine(r.answer().body(), 200);
    return String.format(
        "%s %s %s [%s, %s] -> %d (%s) %s",
        r.probe().route().service(),
        r.probe().route().method(),
        path,
        r.probe().credential().name(),
        r.probe().variantName(),
        r.answer().status(),
        r.reason(),
        body);
  }

  private static String oneLine(String text, int max) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() > max ? line.substring(0, max) : line;
  }

  /** Per key, "total: value count, value count, ..." with the most frequent values first. */
  private Map<String, String> group(
      java.util.function.Function<Result, String> key,
      java.util.function.Function<Result, String> value) {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    for (Result r : accepted()) {
      counts
          .computeIfAbsent(key.apply(r), k -> new TreeMap<>())
          .merge(value.apply(r), 1, Integer::sum);
    }
    Map<String, String> out = new LinkedHashMap<>();
    counts.forEach(
        (k, values) -> {
          int total = values.values().stream().mapToInt(Integer::intValue).sum();
          StringBuilder line = new StringBuilder().append(total).append(':');
          values.entrySet().stream()
              .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
              .forEach(
                  e ->
                      line.append(' ')
                          .append(e.getKey())
                          .append(' ')
                          .append(e.getValue())
                          .append(','));
          line.setLength(line.length() - 1);
          out.put(k, line.toString());
        });
    return out;
  }

  private static Surface surface(Result r) {
    return Surface.of(r.probe().route().service(), r.probe().path());
  }

  private Map<String, Integer> breakdown(java.util.function.Function<Result, String> key) {
    Map<String, Integer> out = new TreeMap<>();
    for (Result r : accepted()) {
      out.merge(key.apply(r), 1, Integer::sum);
    }
    return out;
  }

  /**
   * Up to {@link #EXAMPLES} accepted requests: the first of each route, one service after the
   * other, so the examples show many routes rather than many spellings of one.
   */
  private List<Result> examples() {
    Map<String, Map<String, Result>> firstByRoute = new LinkedHashMap<>();
    List<Result> ordered = new ArrayList<>(accepted());
    ordered.sort(java.util.Comparator.comparingInt(Tally::interest));
    for (Result r : ordered) {
      firstByRoute
          .computeIfAbsent(r.probe().route().service(), s -> new LinkedHashMap<>())
          .putIfAbsent(r.probe().route().toString(), r);
    }
    List<List<Result>> perService = new ArrayList<>();
    firstByRoute.values().forEach(m -> perService.add(new ArrayList<>(m.values())));
    List<Result> out = new ArrayList<>();
    for (int i = 0; out.size() < EXAMPLES; i++) {
      boolean any = false;
      for (List<Result> list : perService) {
        if (i < list.size() && out.size() < EXAMPLES) {
          out.add(list.get(i));
          any = true;
        }
      }
      if (!any) {
        break;
      }
    }
    return out;
  }

  /** Protected API routes first, then the actuator and the rest, public routes last. */
  private static int interest(Result r) {
    if (r.probe().publicRoute()) {
      return 2;
    }
    return switch (surface(r)) {
      case ACTUATOR, OTHER -> 1;
      default -> 0;
    };
  }
}
