package dev.signet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a result as JSON, as PNG charts and as the Markdown section appended to the docs. */
final class Report {

  /** The series the charts need, collected while the phases run. */
  static final class Charts {
    List<double[]> mainApi = List.of();
    List<double[]> mainE2e = List.of();
    final List<double[]> steps = new ArrayList<>();
  }

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private Report() {}

  static Path writeJson(Map<String, Object> result, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writeValueAsString(result) + "\n");
    return file;
  }

  static List<Path> writeCharts(Charts charts, Path dir, String timestamp) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    if (!charts.mainApi.isEmpty()) {
      XYChart c =
          chart(
              "Challenge latency over time (open model, constant arrival rate)",
              "seconds into the phase (intended start)");
      series(c, "API p50", charts.mainApi, 0, 2);
      series(c, "API p99", charts.mainApi, 0, 3);
      series(c, "SMS end-to-end p50", charts.mainE2e, 0, 2);
      series(c, "SMS end-to-end p99", charts.mainE2e, 0, 3);
      written.add(save(c, dir.resolve("bench-" + timestamp + "-latency-over-time.png")));
    }
    if (!charts.steps.isEmpty()) {
      XYChart c =
          chart(
              "Challenge latency percentiles vs arrival rate (step test)",
              "arrival rate (requests/s)");
      series(c, "API p50", charts.steps, 0, 1);
      series(c, "API p99", charts.steps, 0, 2);
      series(c, "API p99.9", charts.steps, 0, 3);
      series(c, "SMS end-to-end p50", charts.steps, 0, 4);
      series(c, "SMS end-to-end p99", charts.steps, 0, 5);
      written.add(save(c, dir.resolve("bench-" + timestamp + "-percentiles-vs-rate.png")));
    }
    return written;
  }

  private static XYChart chart(String title, String xTitle) {
    XYChart c =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle("latency (ms, log scale)")
            .build();
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setMarkerSize(5);
    return c;
  }

  private static void series(XYChart c, String name, List<double[]> rows, int x, int y) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (double[] r : rows) {
      if (!Double.isNaN(r[y]) && r[y] > 0) {
        xs.add(r[x]);
        ys.add(r[y]);
      }
    }
    if (!xs.isEmpty()) {
      c.addSeries(name, xs, ys);
    }
  }

  private static Path save(XYChart c, Path file) throws IOException {
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  /** The figures of a run as ratios to the same run's ceilings. */
  static Map<String, Object> ratios(Map<String, Object> r) {
    Map<String, Object> m = new LinkedHashMap<>();
    Double sustained = num(r, "stepTest.sustainedPerSecond");
    Double insert1 = capacity(r, "mongoInsert", 1);
    Double insert16 = capacity(r, "mongoInsert", 16);
    Double fam1 = capacity(r, "mongoFindAndModify", 1);
    Double web = capacity(r, "bareWebFlux", 64);
    Double kafka = capacity(r, "kafkaRoundTrip", 64);
    ratio(m, "sustainedChallengeRate / mongoSingleStreamInsertCeiling", sustained, insert1);
    ratio(m, "sustainedChallengeRate / mongo16StreamInsertCeiling", sustained, insert16);
    ratio(m, "sustainedChallengeRate / mongoSingleStreamFindAndModifyCeiling", sustained, fam1);
    ratio(m, "sustainedChallengeRate / bareWebFluxCeiling", sustained, web);
    ratio(m, "sustainedChallengeRate / kafkaRoundTripCeiling", sustained, kafka);
    String api = "scenarios.challenge.latency.";
    String e2e = "scenarios.challenge.endToEndLatency.";
    ratio(
        m,
        "challengeApiP50 / bareWebFluxP50",
        num(r, api + "p50Ms"),
        num(r, "ceilings.bareWebFlux.latency.p50Ms"));
    ratio(
        m,
        "challengeApiP99 / bareWebFluxP99",
        num(r, api + "p99Ms"),
        num(r, "ceilings.bareWebFlux.latency.p99Ms"));
    ratio(
        m,
        "challengeApiP50 / mongoInsertP50",
        num(r, api + "p50Ms"),
        num(r, "ceilings.mongoInsert.latency.p50Ms"));
    ratio(
        m,
        "challengeApiP99 / mongoInsertP99",
        num(r, api + "p99Ms"),
        num(r, "ceilings.mongoInsert.latency.p99Ms"));
    ratio(
        m,
        "endToEndP50 / kafkaRoundTripP50",
        num(r, e2e + "p50Ms"),
        num(r, "ceilings.kafkaRoundTrip.latency.p50Ms"));
    ratio(
        m,
        "endToEndP99 / kafkaRoundTripP99",
        num(r, e2e + "p99Ms"),
        num(r, "ceilings.kafkaRoundTrip.latency.p99Ms"));
    ratio(
        m,
        "verifyCorrectP99 / mongoFindAndModifyP99",
        num(r, "scenarios.verify.verify-correct.latency.p99Ms"),
        num(r, "ceilings.mongoFindAndModify.latency.p99Ms"));
    return m;
  }

  private static void ratio(Map<String, Object> m, String name, Double a, Double b) {
    if (a != null && b != null && a > 0 && b > 0 && !a.isNaN() && !b.isNaN()) {
      m.put(name, Math.round(a / b * 1000.0) / 1000.0);
    }
  }

  @SuppressWarnings("unchecked")
  static Object get(Map<String, Object> r, String path) {
    Object o = r;
    for (String k : path.split("\\.")) {
      if (!(o instanceof Map)) {
        return null;
      }
      o = ((Map<String, Object>) o).get(k);
    }
    return o;
  }

  static Double num(Map<String, Object> r, String path) {
    return get(r, path) instanceof Number n ? n.doubleValue() : null;
  }

  @SuppressWarnings("unchecked")
  static Double capacity(Map<String, Object> r, String ceiling, int streams) {
    if (get(r, "ceilings." + ceiling + ".capacity") instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> c = (Map<String, Object>) o;
        if (((Number) c.get("streams")).intValue() == streams) {
          return ((Number) c.get("perSecond")).doubleValue();
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- Markdown

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r, List<Path> images, Path docsDir) {
    StringBuilder b = new StringBuilder();
    Map<String, Object> git = (Map<String, Object>) r.get("git");
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    Map<String, Object> opts = (Map<String, Object>) r.get("options");
    String ts = (String) r.get("timestamp");
    b.append("\n### Run ")
        .append(ts)
        .append(" UTC, git ")
        .append(git.get("describe"))
        .append("\n\n");
    b.append("- Code: `")
        .append(git.get("revision"))
        .append("` (")
        .append(git.get("subject"))
        .append(")\n");
    b.append(
        String.format(
            Locale.ROOT,
            "- Machine: %s cores (%s), %s GiB RAM, %s; %s\n",
            machine.get("cores"),
            machine.get("cpuModel"),
            machine.get("memoryGiB"),
            machine.get("os"),
            machine.get("java")));
    b.append(
            "- **Shared machine**: other engineers were building and testing on it during the run. Load average ")
        .append(r.get("loadAverageBefore"))
        .append(" before, ")
        .append(r.get("loadAverageAfter"))
        .append(
            " after; the `other` column below is CPU used by processes outside the stack and the harness.\n");
    b.append(
        String.format(
            Locale.ROOT,
            "- Options: %s s at %s/s, step test %s at %s s each, ceilings %s s, warm-up %s s, at most %s in flight, timeout %s s; stack %s\n",
            opts.get("durationSeconds"),
            opts.get("ratePerSecond"),
            opts.get("stepRates"),
            opts.get("stepDurationSeconds"),
            opts.get("ceilingDurationSeconds"),
            opts.get("warmupSeconds"),
            opts.get("maxInFlight"),
            opts.get("timeoutSeconds"),
            Boolean.TRUE.equals(opts.get("usedRunningStack"))
                ? "already running"
                : "started by the harness (`--in-memory`)"));
    if (r.get("configurationDescription") != null) {
      b.append("- Configuration: ").append(r.get("configurationDescription")).append("\n");
    }
    b.append("- Raw result: `bench/target/results/")
        .append(ts)
        .append(".json` (not committed)\n\n");

    b.append(
        "#### Scenarios (open model: constant arrival rate, latency from the intended start)\n\n");
    b.append(
        "| Scenario | Target /s | Achieved /s | OK / scheduled | Other outcomes | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n");
    b.append("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
    Map<String, Object> sc = (Map<String, Object>) r.get("scenarios");
    Map<String, Object> first = (Map<String, Object>) sc.get("firstAfterReady");
    if (first != null) {
      scenarioRow(b, "first seconds after ready: API", first, "latency");
      scenarioRow(b, "first seconds after ready: end to end", first, "endToEndLatency");
    }
    scenarioRow(
        b, "`POST /v1/challenge` (API)", (Map<String, Object>) sc.get("challenge"), "latency");
    scenarioRow(
        b,
        "challenge → SMS in sandbox (end to end)",
        (Map<String, Object>) sc.get("challenge"),
        "endToEndLatency");
    Map<String, Object> verify = (Map<String, Object>) sc.get("verify");
    if (verify != null && Boolean.FALSE.equals(verify.get("available"))) {
      b.append("| `POST /v1/verify` | not available: ")
          .append(verify.get("reason"))
          .append(" |||||||||\n");
    } else if (verify != null) {
      scenarioRow(
          b,
          "`POST /v1/verify`, correct code",
          (Map<String, Object>) verify.get("verify-correct"),
          "latency");
      scenarioRow(
          b,
          "`POST /v1/verify`, wrong code",
          (Map<String, Object>) verify.get("verify-wrong"),
          "latency");
    }
    for (String k : List.of("trackRulesRoundTrip", "auditLag")) {
      Map<String, Object> s = (Map<String, Object>) sc.get(k);
      if (s != null && Boolean.FALSE.equals(s.get("available"))) {
        b.append("| ")
            .append(k.equals("auditLag") ? "audit lag" : "track + rules round trip")
            .append(" | not available: ")
            .append(s.get("reason"))
            .append(" |||||||||\n");
      }
    }
    Map<String, Object> main = (Map<String, Object>) sc.get("challenge");
    b.append("\nSMS accounting of the main phase: ")
        .append(main.get("sms"))
        .append("; whole run: ")
        .append(r.get("sms"))
        .append(".\n");
    b.append("Kafka records written per challenge: ")
        .append(main.get("kafkaRecordsPerChallenge"))
        .append("; consumer lag (records not yet processed, per group) when the load stopped: ")
        .append(main.get("consumerLagAtEndOfLoad"))
        .append(".\n");
    b.append("MongoDB round trips of challenge-service per challenge (its driver's command counts,")
        .append(" `collection/command`, scheduled jobs included): ")
        .append(main.get("challengeServiceMongoCommandsPerChallenge"))
        .append(".\n\n");

    Map<String, Object> ceilings = (Map<String, Object>) r.get("ceilings");
    if (ceilings != null) {
      b.append("#### Ceilings (same run, same machine, same arrival rate)\n\n");
      b.append(
          "| Ceiling | Target /s | OK / scheduled | p50 ms | p99 ms | p99.9 ms | max ms | Closed-loop capacity |\n");
      b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
      ceilingRow(
          b,
          "bare WebFlux endpoint (Reactor Netty, in the harness JVM)",
          (Map<String, Object>) ceilings.get("bareWebFlux"));
      ceilingRow(
          b,
          "Kafka produce→consume round trip (idempotent, acks=all)",
          (Map<String, Object>) ceilings.get("kafkaRoundTrip"));
      ceilingRow(
          b,
          "MongoDB-wire insert (challenge-shaped document)",
          (Map<String, Object>) ceilings.get("mongoInsert"));
      ceilingRow(
          b,
          "MongoDB-wire findAndModify (conditional `$inc`)",
          (Map<String, Object>) ceilings.get("mongoFindAndModify"));
      if (ceilings.get("mongoFindAndModifyByIdOnlyCapacity") instanceof Map<?, ?> idOnly) {
        b.append("| MongoDB-wire findAndModify filtered by `_id` alone | – | – | – | – | – | – | ")
            .append(
                String.format(
                    Locale.ROOT,
                    "%.0f/s with 1 stream",
                    ((Number) idOnly.get("perSecond")).doubleValue()))
            .append(" |\n");
      }
      b.append("\n");
    }
    Map<String, Object> ratios = (Map<String, Object>) r.get("ratios");
    if (ratios != null && !ratios.isEmpty()) {
      b.append("#### Ratios\n\n");
      ratios.forEach((k, v) -> b.append("- ").append(k).append(" = **").append(v).append("**\n"));
      b.append("\n");
    }

    Map<String, Object> step = (Map<String, Object>) r.get("stepTest");
    if (step != null) {
      b.append("#### Step test\n\n");
      b.append(
          String.format(
              Locale.ROOT,
              "Sustained rate: **%s challenges/s** (API p99 ≤ %s ms, end-to-end p99 ≤ %s ms, no errors, ≥ 95%% of the target achieved, every SMS delivered). Stopped at %s.\n\n",
              BenchMain.fmt(((Number) step.get("sustainedPerSecond")).doubleValue()),
              step.get("p99ThresholdMs"),
              step.get("e2eP99ThresholdMs"),
              step.get("stoppedBecause")));
      b.append(
          "| Target /s | Achieved /s | OK / scheduled | API p50 | API p99 | SMS p50 | SMS p99 | Cores used during the step | Consumer lag at the end | Result |\n");
      b.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |\n");
      for (Object o : (List<Object>) step.get("steps")) {
        Map<String, Object> s = (Map<String, Object>) o;
        Map<String, Object> lat = (Map<String, Object>) s.get("latency");
        Map<String, Object> e2e = (Map<String, Object>) s.get("endToEndLatency");
        b.append("| ")
            .append(BenchMain.fmt(((Number) s.get("targetPerSecond")).doubleValue()))
            .append(" | ")
            .append(s.get("achievedPerSecond"))
            .append(" | ")
            .append(okOf(s))
            .append(" | ")
            .append(ms(lat, "p50Ms"))
            .append(" | ")
            .append(ms(lat, "p99Ms"))
            .append(" | ")
            .append(ms(e2e, "p50Ms"))
            .append(" | ")
            .append(ms(e2e, "p99Ms"))
            .append(" | ")
            .append(compact((Map<String, Object>) s.get("coresUsedDuringLoad")))
            .append(" | ")
            .append(s.get("consumerLagAtEndOfLoad"))
            .append(" | ")
            .append(
                Boolean.TRUE.equals(s.get("passed"))
                    ? "pass"
                    : "stop: " + String.join("; ", (List<String>) s.get("failedBecause")))
            .append(" |\n");
      }
      b.append("\n");
    }

    Map<String, Object> res = (Map<String, Object>) r.get("resources");
    if (res != null) {
      b.append("#### Resources\n\n");
      Map<String, Object> per1000 = (Map<String, Object>) main.get("cpuSecondsPer1000Challenges");
      Map<String, Object> cores = (Map<String, Object>) main.get("coresUsedDuringLoad");
      Map<String, Object> peak = (Map<String, Object>) res.get("peakRssMiB");
      Map<String, Object> startup = (Map<String, Object>) res.get("startupMillis");
      b.append(
          String.format(
              Locale.ROOT,
              "Main phase at %s/s. CPU seconds per 1,000 challenges include the SMS drain after the load; peak RSS is `VmHWM` (start-up included); start-up is the launcher's measurement.\n\n",
              BenchMain.fmt(((Number) main.get("targetPerSecond")).doubleValue())));
      b.append(
          "| Component | CPU s / 1,000 challenges | Cores used during load | Peak RSS MiB | Start-up s |\n");
      b.append("| --- | ---: | ---: | ---: | ---: |\n");
      for (String c : per1000.keySet()) {
        Object st = startup == null ? null : startup.get(c);
        b.append("| ")
            .append(c)
            .append(" | ")
            .append(per1000.get(c))
            .append(" | ")
            .append(cores.get(c))
            .append(" | ")
            .append(peak.getOrDefault(c, "–"))
            .append(" | ")
            .append(
                st instanceof Number n && n.longValue() >= 0
                    ? String.format(Locale.ROOT, "%.1f", n.longValue() / 1000.0)
                    : "–")
            .append(" |\n");
      }
      b.append(
          "\n`other` = busy CPU of the machine not used by the stack or the harness (other engineers' work); `bench` = the load generator, the in-JVM WebFlux ceiling server and the inbox poller.\n\n");
    }

    Map<String, Object> self = (Map<String, Object>) r.get("selfCheck");
    b.append("#### Self-check\n\n");
    if (Boolean.TRUE.equals(self.get("passed"))) {
      b.append(
          "Passed: every scheduled request ended as success, a documented error or a timeout; every SMS was matched to its challenge by its unique number; no duplicates, no strays.\n\n");
    } else {
      b.append("**Failed:**\n\n");
      for (Object p : (List<Object>) self.get("problems")) {
        b.append("- ").append(p).append("\n");
      }
      b.append("\n");
    }
    for (Path img : images) {
      String rel = docsDir.relativize(img).toString();
      b.append("![").append(img.getFileName()).append("](").append(rel).append(")\n\n");
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static void scenarioRow(
      StringBuilder b, String name, Map<String, Object> s, String latencyKey) {
    if (s == null) {
      return;
    }
    Map<String, Object> lat = (Map<String, Object>) s.get(latencyKey);
    Map<String, Object> outcomes = new LinkedHashMap<>((Map<String, Object>) s.get("outcomes"));
    outcomes.remove(Ledger.OK);
    b.append("| ")
        .append(name)
        .append(" | ")
        .append(BenchMain.fmt(((Number) s.get("targetPerSecond")).doubleValue()))
        .append(" | ")
        .append(s.get("achievedPerSecond"))
        .append(" | ")
        .append(latencyKey.equals("latency") ? okOf(s) : lat.get("count") + " SMS matched")
        .append(" | ")
        .append(outcomes.isEmpty() ? "none" : outcomes.toString())
        .append(" | ")
        .append(ms(lat, "p50Ms"))
        .append(" | ")
        .append(ms(lat, "p90Ms"))
        .append(" | ")
        .append(ms(lat, "p99Ms"))
        .append(" | ")
        .append(ms(lat, "p999Ms"))
        .append(" | ")
        .append(ms(lat, "maxMs"))
        .append(" |\n");
  }

  @SuppressWarnings("unchecked")
  private static void ceilingRow(StringBuilder b, String name, Map<String, Object> s) {
    if (s == null) {
      return;
    }
    Map<String, Object> lat = (Map<String, Object>) s.get("latency");
    List<String> caps = new ArrayList<>();
    for (Object o : (List<Object>) s.get("capacity")) {
      Map<String, Object> c = (Map<String, Object>) o;
      caps.add(
          String.format(
              Locale.ROOT,
              "%.0f/s with %s stream%s",
              ((Number) c.get("perSecond")).doubleValue(),
              c.get("streams"),
              ((Number) c.get("streams")).intValue() == 1 ? "" : "s"));
    }
    b.append("| ")
        .append(name)
        .append(" | ")
        .append(BenchMain.fmt(((Number) s.get("targetPerSecond")).doubleValue()))
        .append(" | ")
        .append(okOf(s))
        .append(" | ")
        .append(ms(lat, "p50Ms"))
        .append(" | ")
        .append(ms(lat, "p99Ms"))
        .append(" | ")
        .append(ms(lat, "p999Ms"))
        .append(" | ")
        .append(ms(lat, "maxMs"))
        .append(" | ")
        .append(String.join(", ", caps))
        .append(" |\n");
  }

  @SuppressWarnings("unchecked")
  private static String okOf(Map<String, Object> s) {
    Map<String, Object> outcomes = (Map<String, Object>) s.get("outcomes");
    Object ok = outcomes.getOrDefault(Ledger.OK, 0L);
    return ok + " / " + s.get("scheduled");
  }

  private static String ms(Map<String, Object> lat, String key) {
    if (lat == null || !(lat.get(key) instanceof Number n)) {
      return "–";
    }
    double v = n.doubleValue();
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String compact(Map<String, Object> cores) {
    List<String> parts = new ArrayList<>();
    cores.forEach(
        (k, v) -> {
          if (!k.equals("machineIdle") && v instanceof Number n && n.doubleValue() >= 0.05) {
            parts.add(k + " " + String.format(Locale.ROOT, "%.2f", n.doubleValue()));
          }
        });
    Object idle = cores.get("machineIdle");
    if (idle != null) {
      parts.add("idle " + String.format(Locale.ROOT, "%.2f", ((Number) idle).doubleValue()));
    }
    return String.join(", ", parts);
  }

  static void appendToDocs(Path file, String markdown) throws IOException {
    if (!Files.exists(file)) {
      Files.writeString(
          file,
          "# Benchmarks\n\nRun `./bench/run` (see the top of this page); each run appends a section below.\n");
    }
    Files.writeString(file, markdown, StandardOpenOption.APPEND);
  }
}
