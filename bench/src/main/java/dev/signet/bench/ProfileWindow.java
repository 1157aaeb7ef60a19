package dev.signet.bench;

import dev.signet.bench.profile.ComponentProfile;
import dev.signet.bench.profile.FlameGraph;
import dev.signet.bench.profile.JfrControl;
import dev.signet.bench.profile.JfrSummary;
import dev.signet.bench.profile.ThreadCpu;
import dev.signet.events.Topics;
import dev.signet.testsupport.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One profiled window: JFR recordings in every JVM of the stack around a constant-rate run of
 * {@code POST /v1/challenge}, with the CPU of every process and thread, the Kafka records, the
 * MongoDB commands, the Kafka client requests and the log lines counted over the same window (from
 * the start of the load until the window's last SMS reached the sandbox).
 */
final class ProfileWindow {

  /** Runs one load phase and waits for its SMS. */
  interface Driver {
    Load drive(String phase, double rate, Duration duration);
  }

  /** {@code delivered}: SMS that reached the sandbox, timed-out requests' included. */
  record Load(OpenLoop.Run run, Latencies e2e, boolean drained, long delivered) {}

  /** The services whose metrics count MongoDB commands, Kafka requests and log lines. */
  static final List<String> SERVICES = List.of("challenge", "rules", "dispatcher", "audit");

  /** Longest wait for the stack to go quiet before and after a window. */
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(90);

  private final LocalStack stack;
  private final Api api;
  private final Path dataDir;
  private final KafkaOffsets offsets;
  private final JfrControl jfr;
  private final Path dir;
  private final Map<String, Object> json = new LinkedHashMap<>();

  ProfileWindow(
      LocalStack stack, Api api, Path dataDir, KafkaOffsets offsets, JfrControl jfr, Path dir) {
    this.stack = stack;
    this.api = api;
    this.dataDir = dataDir;
    this.offsets = offsets;
    this.jfr = jfr;
    this.dir = dir;
  }

  private record Counts(
      Resources cpu,
      Map<String, ThreadCpu.Sample> threads,
      Map<String, Long> records,
      Map<String, Map<String, Double>> mongo,
      Map<String, Map<String, Double>> counters,
      Map<String, Long> logLines) {}

  Map<String, Object> measure(Driver driver, double rate, Duration duration) throws IOException {
    Files.createDirectories(dir);
    Map<String, Long> pids = new LinkedHashMap<>();
    stack.components().forEach(c -> pids.put(c, stack.pid(c)));
    json.put("rate", rate);
    json.put("uptimeBefore", uptime());
    json.put("jfrStart", jfr.start(pids));
    // JFR's own start-up (a second or so of CPU per JVM) stays outside the measured window.
    LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
    // The window starts with no earlier work in flight (receipts being retried, consumer lag) and
    // ends when all the work its challenges caused is done: every SMS, receipt and event.
    json.put("quietBeforeSeconds", quiesce());
    Counts before = counts(pids);
    Map<String, Long> receipts0 = receipts();
    Load load = driver.drive("profile-" + BenchMain.fmt(rate), rate, duration);
    json.put("quietAfterSeconds", quiesce());
    Counts after = counts(pids);
    Map<String, Long> receipts1 = receipts();
    json.put("uptimeAfter", uptime());
    json.put("jfrStop", jfr.stop(pids, dir));
    // Per challenge means per challenge the stack issued: the requested events written, which
    // counts also the requests the harness gave up waiting for (the stack still did their work).
    Map<String, Long> written = KafkaOffsets.delta(before.records(), after.records());
    long challenges =
        Math.max(load.delivered(), written.getOrDefault(Topics.CHALLENGE_REQUESTED.name(), 0L));
    json.put("load", load(load, challenges));
    Map<String, Long> receiptDelta = new TreeMap<>();
    receipts1.forEach((k, v) -> receiptDelta.put(k, v - receipts0.getOrDefault(k, 0L)));
    receiptDelta.put("pendingAtEnd", receipts1.getOrDefault("pending", 0L));
    receiptDelta.remove("pending");
    json.put("sandboxReceipts", receiptDelta);
    json.put("cpuSeconds", Resources.cpuDelta(before.cpu(), after.cpu()));
    json.put("kafkaRecordsPerChallenge", perChallenge(written, challenges));
    Map<String, Object> mongo = new LinkedHashMap<>();
    Map<String, Object> counters = new LinkedHashMap<>();
    for (String s : SERVICES) {
      mongo.put(
          s, MongoCommands.perChallenge(before.mongo().get(s), after.mongo().get(s), challenges));
      counters.put(
          s, deltaPerChallenge(before.counters().get(s), after.counters().get(s), challenges));
    }
    json.put("mongoCommandsPerChallenge", mongo);
    json.put("countersPerChallenge", counters);
    Map<String, Double> logs = new TreeMap<>();
    after
        .logLines()
        .forEach(
            (c, n) ->
                logs.put(
                    c,
                    Latencies.round(
                        (double) (n - before.logLines().getOrDefault(c, 0L))
                            / Math.max(1, challenges))));
    json.put("logLinesPerChallenge", logs);
    Map<String, Object> components = new LinkedHashMap<>();
    for (String c : pids.keySet()) {
      components.put(c, component(c, before, after, challenges));
    }
    json.put("components", components);
    Files.writeString(dir.resolve("README.md"), ProfileReport.window(json));
    return json;
  }

  private Map<String, Object> component(String c, Counts before, Counts after, long challenges)
      throws IOException {
    Path recording = dir.resolve(c + ".jfr");
    if (!Files.exists(recording)) {
      return Map.of("error", "no recording: " + json.get("jfrStop"));
    }
    JfrSummary summary = JfrSummary.read(recording);
    Map<String, Double> threads =
        ThreadCpu.delta(before.threads().get(c), after.threads().get(c), summary.threadNames);
    double cpu = (Double) ((Map<?, ?>) json.get("cpuSeconds")).get(c);
    double system = ThreadCpu.systemDelta(before.threads().get(c), after.threads().get(c));
    ComponentProfile profile = new ComponentProfile(c, cpu, system, challenges, threads, summary);
    Files.writeString(dir.resolve(c + ".md"), profile.markdown());
    FlameGraph.write(
        summary.collapsed,
        c + " at " + BenchMain.fmt((Double) json.get("rate")) + " challenges/s",
        dir.resolve(c + ".svg"));
    Map<String, Object> m = profile.json();
    m.put("topCauses", profile.topCauses(4));
    return m;
  }

  private Counts counts(Map<String, Long> pids) {
    Map<String, ThreadCpu.Sample> threads = new LinkedHashMap<>();
    pids.forEach((c, pid) -> threads.put(c, ThreadCpu.sample(pid)));
    Resources cpu = Resources.sample(stack);
    Map<String, Map<String, Double>> mongo = new LinkedHashMap<>();
    Map<String, Map<String, Double>> counters = new LinkedHashMap<>();
    for (String s : SERVICES) {
      mongo.put(s, retry(() -> MongoCommands.scrape(stack.url(s), stack.managementSecret())));
      counters.put(s, retry(() -> PromCounters.scrape(stack.url(s), stack.managementSecret())));
    }
    Map<String, Long> logLines = new TreeMap<>();
    pids.keySet().forEach(c -> logLines.put(c, lines(dataDir.resolve("logs").resolve(c + ".log"))));
    return new Counts(cpu, threads, offsets.endOffsets(), mongo, counters, logLines);
  }

  /**
   * Waits until no delivery receipt is pending in the sandbox and no consumer group lags, twice in
   * a row a second apart; returns the seconds waited (the timeout's when it never got quiet).
   */
  private double quiesce() {
    long start = System.nanoTime();
    int quiet = 0;
    while (quiet < 2 && System.nanoTime() - start < QUIET_TIMEOUT.toNanos()) {
      long pending = receipts().getOrDefault("pending", -1L);
      long lag = offsets.consumerLag().values().stream().mapToLong(v -> Math.abs(v)).sum();
      quiet = pending == 0 && lag == 0 ? quiet + 1 : 0;
      if (quiet < 2) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      }
    }
    return Latencies.round((System.nanoTime() - start) / 1e9);
  }

  /** The sandbox's receipt counters (delivered, failed, pending), without the receipts. */
  private Map<String, Long> receipts() {
    Map<String, Long> m = new TreeMap<>();
    try {
      var body =
          Api.parse(
              api.sendNow("GET", stack.url("sandbox") + "/receipts?messageId=-", null).body());
      for (String k : List.of("delivered", "failed", "pending")) {
        m.put(k, body.path(k).asLong(-1));
      }
    } catch (RuntimeException e) {
      m.put("pending", -1L);
    }
    return m;
  }

  /** A scrape that timed out on the busy machine is tried twice more. */
  private static Map<String, Double> retry(
      java.util.function.Supplier<Map<String, Double>> scrape) {
    Map<String, Double> m = scrape.get();
    for (int i = 0; i < 2 && (m.isEmpty() || m.containsKey("unavailable")); i++) {
      m = scrape.get();
    }
    return m;
  }

  private static long lines(Path file) {
    if (!Files.exists(file)) {
      return 0;
    }
    try (Stream<String> s = Files.lines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> load(Load load, long challenges) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("challengesOk", load.run().ledger().count(Ledger.OK));
    m.put("smsDelivered", load.delivered());
    m.put("challengesIssued", challenges);
    m.put("outcomes", load.run().ledger().outcomes());
    m.put("achievedPerSecond", Latencies.round(load.run().achievedPerSecond()));
    m.put("apiP50Ms", Latencies.round(load.run().latencies().percentileMillis(50)));
    m.put("apiP99Ms", Latencies.round(load.run().latencies().percentileMillis(99)));
    m.put("smsP50Ms", Latencies.round(load.e2e().percentileMillis(50)));
    m.put("smsP99Ms", Latencies.round(load.e2e().percentileMillis(99)));
    m.put("smsDrained", load.drained());
    return m;
  }

  private static Map<String, Double> perChallenge(Map<String, Long> counts, long challenges) {
    Map<String, Double> m = new TreeMap<>();
    double total = 0;
    for (var e : counts.entrySet()) {
      double v = challenges == 0 ? 0 : (double) e.getValue() / challenges;
      m.put(e.getKey(), Latencies.round(v));
      total += v;
    }
    m.put("total", Latencies.round(total));
    return m;
  }

  /** As {@link MongoCommands#perChallenge}, without its total (the counters differ in kind). */
  private static Map<String, Double> deltaPerChallenge(
      Map<String, Double> before, Map<String, Double> after, long challenges) {
    Map<String, Double> m = new TreeMap<>(MongoCommands.perChallenge(before, after, challenges));
    m.remove("total");
    return m;
  }

  String headline() {
    Map<?, ?> load = (Map<?, ?>) json.get("load");
    Map<?, ?> cpu = (Map<?, ?>) json.get("cpuSeconds");
    double total = 0;
    for (String c : stack.components()) {
      total += ((Number) cpu.get(c)).doubleValue();
    }
    long n = ((Number) load.get("challengesIssued")).longValue();
    return String.format(
        Locale.ROOT,
        "%d challenges, API p99 %s ms, SMS p99 %s ms, %.1f CPU ms per challenge; %s",
        n,
        load.get("apiP99Ms"),
        load.get("smsP99Ms"),
        n == 0 ? 0 : total * 1000 / n,
        json.get("uptimeAfter"));
  }

  /** The {@code uptime} line (load averages): the machine is shared, so every figure carries it. */
  static String uptime() {
    try {
      Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
      String line =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      p.waitFor();
      return line;
    } catch (IOException e) {
      return "load average " + Machine.loadAverage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "load average " + Machine.loadAverage();
    }
  }
}
