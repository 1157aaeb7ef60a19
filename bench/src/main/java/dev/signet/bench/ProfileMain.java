package dev.signet.bench;

import dev.signet.bench.profile.JfrControl;
import dev.signet.testsupport.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./bench/profile}: starts (or attaches to) the local stack, warms it up, then for each rate
 * records every JVM of the stack with JDK Flight Recorder while {@code POST /v1/challenge} runs at
 * that rate, and writes per component where the CPU went (see {@link ProfileWindow}).
 */
public final class ProfileMain {

  static final String USAGE =
      """
      ./bench/profile [options]
        --rates a,b           arrival rates to profile, challenges/s, one window each (default 25,100)
        --duration D          each profiled window (default 40s)
        --warmup D            unrecorded warm-up before the first window (default 120s)
        --warmup-rate R       its rate (default 25)
        --settle D            unrecorded run at a window's own rate just before it (default 10s)
        --jit production|local  production: C1 then C2 as the container image (default);
                              local: C1 only, as ./run starts the services
        --provider-rate N     SIGNET_SMS_PROVIDERRATEPERSECOND of a stack started here
                              (default 100000: the provider limit lifted)
        --drain-timeout D     how long to wait for a window's last SMS (default 60s)
        --use-running-stack DIR  profile the stack described by DIR/stack.json (same user)
        --port-offset N       port offset of a stack started here (default 300)
      Writes bench/target/profile/<timestamp>/: summary.md, summary.json and, per rate,
      <component>.jfr, <component>.md and <component>.svg (flame graph).
      Durations: 500ms, 30s, 2m.""";

  record Options(
      List<Double> rates,
      Duration duration,
      Duration warmup,
      double warmupRate,
      Duration settle,
      boolean productionJit,
      String providerRate,
      Duration drainTimeout,
      Path runningStack,
      int portOffset) {

    static Options parse(String[] args) {
      Map<String, String> o = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("unexpected argument " + args[i] + "\n" + USAGE);
        }
        o.put(args[i], args[++i]);
      }
      List<String> known =
          List.of(
              "--rates",
              "--duration",
              "--warmup",
              "--warmup-rate",
              "--settle",
              "--jit",
              "--provider-rate",
              "--drain-timeout",
              "--use-running-stack",
              "--port-offset");
      o.keySet().stream()
          .filter(k -> !known.contains(k))
          .findFirst()
          .ifPresent(
              k -> {
                throw new IllegalArgumentException("unknown option " + k + "\n" + USAGE);
              });
      String jit = o.getOrDefault("--jit", "production");
      if (!jit.equals("production") && !jit.equals("local")) {
        throw new IllegalArgumentException("--jit is production or local: " + jit);
      }
      return new Options(
          dev.signet.bench.Options.rates(o.getOrDefault("--rates", "25,100")),
          dev.signet.bench.Options.duration(o.getOrDefault("--duration", "40s")),
          dev.signet.bench.Options.duration(o.getOrDefault("--warmup", "120s")),
          Double.parseDouble(o.getOrDefault("--warmup-rate", "25")),
          dev.signet.bench.Options.duration(o.getOrDefault("--settle", "10s")),
          jit.equals("production"),
          o.getOrDefault("--provider-rate", "100000"),
          dev.signet.bench.Options.duration(o.getOrDefault("--drain-timeout", "60s")),
          o.containsKey("--use-running-stack")
              ? Path.of(o.get("--use-running-stack")).toAbsolutePath()
              : null,
          Integer.parseInt(o.getOrDefault("--port-offset", "300")));
    }
  }

  private ProfileMain() {}

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    int status;
    try {
      status = run(Options.parse(args), BenchMain.repositoryRoot());
    } catch (IllegalArgumentException e) {
      System.err.println("profile: " + e.getMessage());
      status = 2;
    } catch (Exception | Error e) {
      System.err.println("profile: FAILED: " + e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static int run(Options options, Path root) throws Exception {
    String timestamp =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = root.resolve("bench/target/profile").resolve(timestamp);
    Files.createDirectories(out);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("timestamp", timestamp);
    summary.put("git", Machine.git(root));
    summary.put("machine", Machine.describe());
    summary.put("jit", options.productionJit() ? "production (C1 then C2)" : "local (C1 only)");
    say("machine: " + Machine.oneLine() + "; " + ProfileWindow.uptime());
    long started = System.nanoTime();
    Path dataDir =
        options.runningStack() != null
            ? options.runningStack()
            : root.resolve("bench/target/profile-stack");
    try (LocalStack stack = stack(options, root, dataDir);
        Api api = new Api(Duration.ofSeconds(10));
        KafkaOffsets offsets = new KafkaOffsets(stack.kafkaAdminClient())) {
      SmsInbox inbox = new SmsInbox(api, stack.url("sandbox"));
      inbox.baseline();
      OpenLoop loop = new OpenLoop(new Pacer(Pacer.SYSTEM), 1000, Duration.ofSeconds(11));
      ChallengeScenario challenge =
          new ChallengeScenario(
              api, stack, inbox, new PhoneNumbers(System.nanoTime()), new WallClock());
      ProfileWindow.Driver driver =
          (phase, rate, d) -> {
            Latencies e2e = new Latencies();
            OpenLoop.Run run = loop.run(phase, rate, d, challenge.operation(phase, e2e), r -> {});
            boolean drained = inbox.drain(phase, options.drainTimeout());
            long delivered = inbox.delivered(phase);
            inbox.clear();
            return new ProfileWindow.Load(run, e2e, drained, delivered);
          };
      if (!options.warmup().isZero()) {
        say("warm-up: " + options.warmup().toSeconds() + " s at " + options.warmupRate() + "/s");
        driver.drive("warmup", options.warmupRate(), options.warmup());
      }
      JfrControl jfr = new JfrControl(System.getProperty("java.home"));
      List<Map<String, Object>> windows = new ArrayList<>();
      for (double rate : options.rates()) {
        if (!options.settle().isZero()) {
          driver.drive("settle-" + BenchMain.fmt(rate), rate, options.settle());
        }
        Path dir = out.resolve(BenchMain.fmt(rate) + "-per-s");
        say("profiling " + options.duration().toSeconds() + " s at " + BenchMain.fmt(rate) + "/s");
        ProfileWindow window = new ProfileWindow(stack, api, dataDir, offsets, jfr, dir);
        windows.add(window.measure(driver, rate, options.duration()));
        say("  " + window.headline());
      }
      summary.put("windows", windows);
    }
    summary.put("elapsedSeconds", Latencies.round((System.nanoTime() - started) / 1e9));
    Report.writeJson(summary, out.resolve("summary.json"));
    Files.writeString(out.resolve("summary.md"), ProfileReport.summary(summary));
    say(
        "written: "
            + root.relativize(out)
            + "/summary.md ("
            + summary.get("elapsedSeconds")
            + " s)");
    return 0;
  }

  private static LocalStack stack(Options options, Path root, Path dataDir) {
    if (options.runningStack() != null) {
      say("using the running stack in " + dataDir);
      return BenchStack.attach(dataDir);
    }
    Map<String, String> env = new LinkedHashMap<>(BenchStack.benchJvm(options.productionJit()));
    env.put("SIGNET_SMS_PROVIDERRATEPERSECOND", options.providerRate());
    env.put("SIGNET_SANDBOX_INBOX_CAPACITY", "100000");
    // Execution samples attribute time to inlined methods exactly only with debug information at
    // non-safepoint code too; every JVM of the stack inherits this (Kafka has no option variable).
    env.put("JAVA_TOOL_OPTIONS", "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints");
    say(
        "starting the local stack (port offset "
            + options.portOffset()
            + ", data "
            + dataDir
            + ")");
    LocalStack stack =
        BenchStack.start(root, dataDir, options.portOffset(), Duration.ofMinutes(6), env);
    say(String.format(Locale.ROOT, "stack healthy %.1f s after launch", stack.launchSeconds()));
    return stack;
  }

  static void say(String line) {
    System.out.println("profile: " + line);
  }
}
