package dev.signet.bench;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code ./bench/run}: starts (or attaches to) the local stack, drives it with an open-model load,
 * measures the same machine's ceilings in the same run, checks that every request and every SMS is
 * accounted for, and writes the JSON result, the Markdown summary and the charts.
 */
public final class BenchMain {

  private final Options options;
  private final Path root;
  private final Configuration configuration;
  private final int instances;
  private final WallClock wall = new WallClock();
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Object> result = new LinkedHashMap<>();
  private final Report.Charts charts = new Report.Charts();

  private BenchMain(Options options, Path root, Configuration configuration, int instances) {
    this.options = options;
    this.root = root;
    this.configuration = configuration;
    this.instances = instances;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    Options options;
    try {
      if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
        System.out.println(Options.USAGE);
        return;
      }
      options = Options.parse(args);
    } catch (RuntimeException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(runAll(options));
  }

  /**
   * Measures each configuration on a stack of its own (or the running stack once), then writes the
   * comparison of all of them.
   */
  private static int runAll(Options options) {
    List<Configuration> configurations =
        options.runningStack() != null ? List.of(Configuration.LIFTED) : options.configurations();
    List<Map<String, Object>> results = new ArrayList<>();
    int status = 0;
    List<Integer> counts = options.runningStack() != null ? List.of(1) : options.instances();
    for (Configuration c : configurations) {
      for (int n : counts) {
        BenchMain bench;
        try {
          bench = new BenchMain(options, repositoryRoot(), c, n);
          say("configuration " + bench.describe());
          status = Math.max(status, bench.run());
          results.add(bench.result);
        } catch (Exception | Error e) {
          System.err.println();
          System.err.println("bench: FAILED (" + c.id + "): " + e);
          e.printStackTrace();
          status = 1;
        }
      }
    }
    if (results.size() > 1) {
      try {
        Path root = repositoryRoot();
        String markdown = Comparison.markdown(results);
        Path results1 = root.resolve("bench/target/results");
        String ts = (String) results.get(0).get("timestamp");
        Files.writeString(results1.resolve(ts + "-comparison.md"), markdown);
        System.out.println(markdown);
        if (options.docs()) {
          Report.appendToDocs(root.resolve("docs/benchmarks/whole-path-runs.md"), markdown);
        }
      } catch (Exception e) {
        System.err.println("bench: comparison not written: " + e);
        status = 1;
      }
    }
    return status;
  }

  /**
   * The configuration, and with several instances how they run: each service {@code instances}
   * times behind the launcher's round-robin gateway (one broker, as in the one-instance stack).
   */
  private String describe() {
    return configuration.describe()
        + (instances == 1
            ? ""
            : ", "
                + instances
                + " instances of each service behind the local stack's round-robin gateway");
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.exists(dir.resolve("run")) && Files.isDirectory(dir.resolve("bench")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run ./bench/run from inside the Signet repository");
    }
    return dir;
  }

  private int run() throws Exception {
    String timestamp =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    result.put("timestamp", timestamp);
    result.put("git", Machine.git(root));
    result.put("machine", Machine.describe());
    result.put("loadAverageBefore", Machine.loadAverage());
    result.put("options", optionsJson());
    result.put("configuration", configuration.id);
    result.put("configurationDescription", describe());
    result.put("instances", instances);
    result.put("providerLimitPerSecond", configuration.providerLimit());
    say("machine: " + Machine.oneLine() + "; load " + Machine.loadAverage());

    LocalStack stack;
    if (options.runningStack() != null) {
      say("using the running stack in " + options.runningStack());
      stack = BenchStack.attach(options.runningStack());
    } else {
      Path dataDir = root.resolve("bench/target/stack");
      say(
          "starting the local stack (./run --no-build --in-memory --port-offset "
              + options.portOffset()
              + " --quiet --data-dir "
              + root.relativize(dataDir)
              + ") ...");
      Map<String, String> env = new LinkedHashMap<>(configuration.environment());
      env.put("SIGNET_SANDBOX_INBOX_CAPACITY", "100000");
      stack =
          instances == 1
              ? BenchStack.start(root, dataDir, options.portOffset(), Duration.ofMinutes(4), env)
              : BenchStack.start(
                  root,
                  dataDir,
                  options.portOffset(),
                  Duration.ofMinutes(10),
                  env,
                  List.of("--instances", Integer.toString(instances)));
      say(String.format(Locale.ROOT, "stack healthy %.1f s after launch", stack.launchSeconds()));
    }
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("inbox"));
    try (stack;
        Api api = new Api(options.timeout());
        KafkaOffsets offsets = new KafkaOffsets(stack.kafkaAdminClient())) {
      Map<String, Object> stackJson = new LinkedHashMap<>();
      stackJson.put("startedHere", stack.startedHere());
      stackJson.put("launchSeconds", Latencies.round(stack.launchSeconds()));
      stackJson.put("startupMillis", stack.startupMillis());
      result.put("stack", stackJson);

      if (configuration.routed) {
        say(
            "routing rules published, policy version "
                + RoutingRules.apply(api, stack, Duration.ofSeconds(60))
                + " held by the dispatcher: "
                + RoutingRules.DESCRIPTION);
      }
      DispatcherTimers timers = new DispatcherTimers(stack);
      SmsInbox inbox = new SmsInbox(api, stack.url("sandbox"));
      int before = inbox.baseline();
      if (before > 0) {
        say(before + " messages already in the sandbox inbox are ignored");
      }
      poller.scheduleWithFixedDelay(() -> safePoll(inbox), 2, 2, TimeUnit.SECONDS);
      OpenLoop loop =
          new OpenLoop(
              new Pacer(Pacer.SYSTEM), options.concurrency(), options.timeout().plusSeconds(1));
      ChallengeScenario challenge =
          new ChallengeScenario(api, stack, inbox, new PhoneNumbers(System.nanoTime()), wall);
      Map<String, Object> scenarios = new LinkedHashMap<>();
      result.put("scenarios", scenarios);

      // The first seconds after the stack reported ready, before anything warmed it up.
      if (stack.startedHere() && !options.firstAfterReady().isZero()) {
        phase(
            loop,
            challenge,
            inbox,
            scenarios,
            "firstAfterReady",
            options.rate(),
            options.firstAfterReady());
      }
      // Warm-up: JIT, connection pools, topic metadata. Accounted for like every other phase.
      if (!options.warmup().isZero()) {
        phase(loop, challenge, inbox, scenarios, "warmup", 20, options.warmup());
      }
      if (configuration.productionJit && !options.productionWarmup().isZero()) {
        // C2 compiles a method after thousands of calls, and on two shared cores takes minutes.
        phase(loop, challenge, inbox, scenarios, "c2Warmup", 100, options.productionWarmup());
      }

      // 1. POST /v1/challenge -> SMS in the sandbox, at the main rate.
      Resources r0 = Resources.sample(stack);
      Map<String, Long> offsets0 = offsets.endOffsets();
      Map<String, Double> mongo0 =
          MongoCommands.scrape(stack.url("challenge"), stack.managementSecret());
      Latencies mainE2e = new Latencies();
      var timers0 = timers.snapshot();
      OpenLoop.Run main =
          loop.run(
              "challenge",
              options.rate(),
              options.duration(),
              challenge.operation("challenge", mainE2e),
              progress(inbox, mainE2e));
      Resources rLoad = Resources.sample(stack);
      Map<String, Long> lagAtEnd = offsets.consumerLag();
      endLine();
      boolean drained = inbox.drain("challenge", options.drainTimeout());
      Resources r1 = Resources.sample(stack);
      Map<String, Long> offsets1 = offsets.endOffsets();
      Map<String, Double> mongo1 =
          MongoCommands.scrape(stack.url("challenge"), stack.managementSecret());
      Map<String, Object> mainJson = phaseJson(main, mainE2e, inbox.accounting("challenge"));
      mainJson.put("dispatcher", DispatcherTimers.between(timers0, timers.snapshot()));
      long challenges = main.ledger().count(Ledger.OK);
      mainJson.put(
          "challengeServiceMongoCommandsPerChallenge",
          MongoCommands.perChallenge(mongo0, mongo1, challenges));
      mainJson.put("cpuSecondsPer1000Challenges", per1000(Resources.cpuDelta(r0, r1), challenges));
      mainJson.put("coresUsedDuringLoad", cores(r0, rLoad));
      mainJson.put("consumerLagAtEndOfLoad", lagAtEnd);
      Map<String, Long> written = KafkaOffsets.delta(offsets0, offsets1);
      mainJson.put("kafkaRecordsWritten", written);
      Map<String, Double> perChallenge = new LinkedHashMap<>();
      written.forEach(
          (t, n) ->
              perChallenge.put(t, challenges == 0 ? 0 : Latencies.round((double) n / challenges)));
      mainJson.put("kafkaRecordsPerChallenge", perChallenge);
      scenarios.put("challenge", mainJson);
      charts.mainApi = main.latencies().timeline();
      charts.mainE2e = mainE2e.timeline();
      check(main, drained, inbox);
      say(summaryLine("challenge", main, mainE2e));

      // 2. POST /v1/verify, correct and wrong codes, on the challenges just issued.
      VerifyScenario verify = new VerifyScenario(api, stack);
      var verifyUnavailable = verify.unavailableReason();
      if (verifyUnavailable.isPresent()) {
        scenarios.put("verify", unavailable(verifyUnavailable.get()));
        say("verify: not available: " + verifyUnavailable.get());
      } else {
        List<VerifyScenario.Target> targets = new ArrayList<>();
        inbox
            .phase("challenge")
            .values()
            .forEach(
                e -> {
                  if (e.delivered && e.code != null && e.challengeId != null) {
                    targets.add(new VerifyScenario.Target(e.challengeId, e.code));
                  }
                });
        int half = targets.size() / 2;
        Map<String, Object> v = new LinkedHashMap<>();
        runVerify(loop, verify, targets.subList(0, half), true, "verify-correct", v);
        runVerify(loop, verify, targets.subList(half, 2 * half), false, "verify-wrong", v);
        scenarios.put("verify", v);
      }
      if (drained) {
        inbox.clear();
      }

      // 3 and 4 need parts of the platform that this revision may not have: never faked.
      scenarios.put("trackRulesRoundTrip", trackAvailability(api, stack));
      scenarios.put(
          "auditLag",
          unavailable(
              "measured by ./bench/run-audit-lag, not by this command (docs/benchmarks/audit-lag.md)"));

      // Above the provider limit: how fast the SMS delay grows.
      if (!configuration.lifted && !options.overLimitDuration().isZero()) {
        result.put(
            "overLimit",
            OverLimit.measure(
                configuration.providerLimit(),
                configuration.providerLimit() * options.overLimitFactor(),
                options.overLimitDuration(),
                (name, rate, d) -> phaseRun(loop, challenge, inbox, name, rate, d),
                problems));
      }

      // Ceilings, at the same arrival rate as the main phase, plus closed-loop capacity: the
      // machine's, measured once.
      if (options.ceilings() && configuration == Configuration.LIFTED) {
        result.put("ceilings", ceilings(loop, api, stack));
      }

      // 5. Step test.
      if (options.steps() && configuration.lifted && configuration.traced) {
        result.put("stepTest", stepTest(loop, challenge, inbox, stack, offsets, timers));
      }

      Map<String, Object> resources = new LinkedHashMap<>();
      Map<String, Long> peak = new LinkedHashMap<>();
      for (String c : stack.components()) {
        if (stack.description().path("components").path(c).has("entryPointOf")) {
          continue; // in the launcher, whose process family is the whole stack
        }
        peak.put(c, ProcStats.peakRssKib(stack.pid(c)) / 1024);
      }
      peak.put("bench", ProcStats.ownPeakRssKib(ProcessHandle.current().pid()) / 1024);
      resources.put("peakRssMiB", peak);
      resources.put("startupMillis", stack.startupMillis());
      result.put("resources", resources);
      result.put("ratios", Report.ratios(result));
      result.put("sms", inbox.globalAccounting());
      if (inbox.foreign() > 0 && options.runningStack() == null) {
        problems.add(inbox.foreign() + " SMS for numbers this run never used");
      }
      if (inbox.withoutCode() > 0) {
        problems.add(inbox.withoutCode() + " SMS without a code");
      }
      if (inbox.duplicates() > 0) {
        problems.add(inbox.duplicates() + " numbers received a second SMS for one challenge");
      }
    } finally {
      poller.shutdownNow();
    }
    result.put("loadAverageAfter", Machine.loadAverage());
    result.put("selfCheck", Map.of("passed", problems.isEmpty(), "problems", problems));

    Path results = root.resolve("bench/target/results");
    Path json = Report.writeJson(result, results.resolve(timestamp + ".json"));
    say("result: " + root.relativize(json));
    Path imgDir = options.docs() ? root.resolve("docs/img") : results;
    List<Path> images = Report.writeCharts(charts, imgDir, timestamp);
    images.forEach(p -> say("chart: " + root.relativize(p)));
    String markdown = Report.markdown(result, images, root.resolve("docs/benchmarks"));
    Files.writeString(results.resolve(timestamp + ".md"), markdown);
    if (options.docs()) {
      Report.appendToDocs(root.resolve("docs/benchmarks/whole-path-runs.md"), markdown);
      say("summary appended to docs/benchmarks/whole-path-runs.md");
    } else {
      say("summary: " + root.relativize(results.resolve(timestamp + ".md")));
    }
    if (problems.isEmpty()) {
      say("self-check passed: every request and every SMS accounted for");
      return 0;
    }
    System.err.println("bench: SELF-CHECK FAILED:");
    problems.forEach(p -> System.err.println("  - " + p));
    return 1;
  }

  /** A phase at {@code rate} that is accounted for like every other and kept in the result. */
  private void phase(
      OpenLoop loop,
      ChallengeScenario challenge,
      SmsInbox inbox,
      Map<String, Object> scenarios,
      String name,
      double rate,
      Duration d) {
    OverLimit.Phase p = phaseRun(loop, challenge, inbox, name, rate, d);
    Map<String, Object> json = phaseJson(p.run(), p.e2e(), inbox.accounting(name));
    scenarios.put(name, json);
    check(p.run(), p.drained(), inbox);
    say(summaryLine(name, p.run(), p.e2e()));
    if (p.drained()) {
      inbox.clear();
    }
  }

  private OverLimit.Phase phaseRun(
      OpenLoop loop,
      ChallengeScenario challenge,
      SmsInbox inbox,
      String name,
      double rate,
      Duration d) {
    Latencies e2e = new Latencies();
    OpenLoop.Run run =
        loop.run(name, rate, d, challenge.operation(name, e2e), progress(inbox, e2e));
    endLine();
    // A backlog above the provider limit drains at the limit: give it the time it needs.
    Duration drain =
        options
            .drainTimeout()
            .plusSeconds(
                Math.round(run.ledger().count(Ledger.OK) / (double) configuration.providerLimit()));
    boolean drained = inbox.drain(name, drain);
    return new OverLimit.Phase(run, e2e, drained, inbox.accounting(name), inbox);
  }

  private void runVerify(
      OpenLoop loop,
      VerifyScenario verify,
      List<VerifyScenario.Target> targets,
      boolean correct,
      String name,
      Map<String, Object> into) {
    if (targets.isEmpty()) {
      into.put(name, unavailable("no delivered challenges to verify"));
      problems.add(name + ": no delivered challenges to verify");
      return;
    }
    double rate = options.rate();
    Duration d = Duration.ofMillis(Math.round(targets.size() * 1000.0 / rate));
    Duration cap = options.duration().dividedBy(2);
    if (d.compareTo(cap) > 0) {
      d = cap;
    }
    OpenLoop.Run run =
        loop.run(name, rate, d, verify.operation(targets, correct), progress(null, null));
    endLine();
    into.put(name, phaseJson(run, null, null));
    problems.addAll(run.ledger().problems(name));
    if (run.ledger().failures() > 0) {
      problems.add(
          name
              + ": "
              + run.ledger().failures()
              + " requests did not succeed: "
              + run.ledger().outcomes());
    }
    say(summaryLine(name, run, null));
  }

  private Map<String, Object> trackAvailability(Api api, LocalStack stack) {
    var r =
        api.sendNow(
            "PUT",
            stack.url("challenge") + "/v1/users/bench-probe/actions/signIn",
            Api.basic(stack.apiSecret()));
    if (r.statusCode() == 405) {
      return unavailable(
          "POST /v1/users/{id}/actions/{action} exists, but this harness revision has no track"
              + " scenario yet");
    }
    return unavailable(
        "track (POST /v1/users/{id}/actions/{action}) and the rules-service round trip are not in"
            + " this revision (probe answered "
            + r.statusCode()
            + ")");
  }

  private Map<String, Object> ceilings(OpenLoop loop, Api api, LocalStack stack) throws Exception {
    Map<String, Object> c = new LinkedHashMap<>();
    double rate = options.rate();
    Duration d = options.ceilingDuration();
    Duration capD = Duration.ofSeconds(4);

    try (BareWebFlux web = new BareWebFlux()) {
      String body =
          "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\"+447700900000\"}";
      Supplier<CompletableFuture<String>> op =
          () ->
              api.post(web.url(), null, body)
                  .thenApply(r -> r.statusCode() == 200 ? Ledger.OK : "error:" + r.statusCode());
      c.put("bareWebFlux", ceiling("ceiling-webflux", loop, rate, d, op, List.of(64), capD));
    }
    try (KafkaRoundTrip kafka =
        new KafkaRoundTrip(
            stack.kafkaAdminClient(), "bench.ceiling.roundtrip." + System.currentTimeMillis())) {
      c.put(
          "kafkaRoundTrip",
          ceiling("ceiling-kafka", loop, rate, d, kafka::roundTrip, List.of(64), capD));
    }
    try (MongoCeiling mongo = new MongoCeiling(stack.mongoUri())) {
      c.put(
          "mongoInsert",
          ceiling("ceiling-insert", loop, rate, d, mongo::insert, List.of(1, 16), capD));
      mongo.prepare(2_000);
      long[] i = {0};
      Supplier<CompletableFuture<String>> fam = () -> mongo.findAndModify(i[0]++);
      c.put(
          "mongoFindAndModify",
          ceiling("ceiling-findAndModify", loop, rate, d, fam, List.of(1, 16), capD));
      long[] j = {0};
      Capacity.Result byId =
          Capacity.measure(
              1, capD, () -> mongo.findAndModifyByIdOnly(j[0]++).thenApply(Ledger.OK::equals));
      Map<String, Object> idOnly = new LinkedHashMap<>();
      idOnly.put("streams", 1);
      idOnly.put("perSecond", Latencies.round(byId.perSecond()));
      idOnly.put("completed", byId.completed());
      idOnly.put("failed", byId.failed());
      c.put("mongoFindAndModifyByIdOnlyCapacity", idOnly);
      say(
          String.format(
              Locale.ROOT, "findAndModify by _id alone, 1 stream: %.0f/s", byId.perSecond()));
    }
    return c;
  }

  private Map<String, Object> ceiling(
      String name,
      OpenLoop loop,
      double rate,
      Duration d,
      Supplier<CompletableFuture<String>> op,
      List<Integer> streams,
      Duration capD) {
    OpenLoop.Run run =
        loop.run(name, rate, d, (index, intended, second) -> op.get(), progress(null, null));
    endLine();
    problems.addAll(run.ledger().problems(name));
    if (run.ledger().failures() > 0) {
      problems.add(
          name + ": " + run.ledger().failures() + " operations failed: " + run.ledger().outcomes());
    }
    Map<String, Object> json = phaseJson(run, null, null);
    List<Map<String, Object>> caps = new ArrayList<>();
    for (int s : streams) {
      Capacity.Result cap = Capacity.measure(s, capD, () -> op.get().thenApply(Ledger.OK::equals));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("streams", s);
      m.put("perSecond", Latencies.round(cap.perSecond()));
      m.put("completed", cap.completed());
      m.put("failed", cap.failed());
      caps.add(m);
      say(
          String.format(
              Locale.ROOT, "%s capacity with %d streams: %.0f/s", name, s, cap.perSecond()));
    }
    json.put("capacity", caps);
    say(summaryLine(name, run, null));
    return json;
  }

  private Map<String, Object> stepTest(
      OpenLoop loop,
      ChallengeScenario challenge,
      SmsInbox inbox,
      LocalStack stack,
      KafkaOffsets offsets,
      DispatcherTimers timers) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("p99ThresholdMs", options.p99ThresholdMs());
    json.put("e2eP99ThresholdMs", options.e2eP99ThresholdMs());
    List<Map<String, Object>> steps = new ArrayList<>();
    double sustained = 0;
    String stoppedBecause = "every step passed (the highest rate tried is a lower bound)";
    for (double rate : options.rates()) {
      String phase = "step-" + fmt(rate);
      Resources r0 = Resources.sample(stack);
      var timers0 = timers.snapshot();
      Latencies e2e = new Latencies();
      OpenLoop.Run run =
          loop.run(
              phase,
              rate,
              options.stepDuration(),
              challenge.operation(phase, e2e),
              progress(inbox, e2e));
      Resources rLoad = Resources.sample(stack);
      Map<String, Long> lag = offsets.consumerLag();
      endLine();
      boolean drained = inbox.drain(phase, options.drainTimeout());
      Resources r1 = Resources.sample(stack);
      Map<String, Object> step = phaseJson(run, e2e, inbox.accounting(phase));
      step.put("dispatcher", DispatcherTimers.between(timers0, timers.snapshot()));
      step.put("targetPerSecond", rate);
      step.put("coresUsedDuringLoad", cores(r0, rLoad));
      step.put("consumerLagAtEndOfLoad", lag);
      step.put(
          "cpuSecondsPer1000Challenges",
          per1000(Resources.cpuDelta(r0, r1), run.ledger().count(Ledger.OK)));
      step.put("smsDrained", drained);
      problems.addAll(run.ledger().problems(phase));
      List<String> why = new ArrayList<>();
      if (run.ledger().failures() > 0) {
        why.add("errors appeared: " + run.ledger().outcomes());
      }
      double p99 = run.latencies().percentileMillis(99);
      if (!(p99 <= options.p99ThresholdMs())) {
        why.add(
            String.format(Locale.ROOT, "API p99 %.0f ms > %.0f ms", p99, options.p99ThresholdMs()));
      }
      double e2eP99 = e2e.percentileMillis(99);
      if (!(e2eP99 <= options.e2eP99ThresholdMs())) {
        why.add(
            String.format(
                Locale.ROOT,
                "end-to-end p99 %.0f ms > %.0f ms",
                e2eP99,
                options.e2eP99ThresholdMs()));
      }
      if (run.achievedPerSecond() < 0.95 * rate) {
        why.add(
            String.format(
                Locale.ROOT, "achieved %.1f/s < 95%% of %.0f/s", run.achievedPerSecond(), rate));
      }
      if (!drained) {
        why.add(
            inbox.pending(phase)
                + " SMS still undelivered "
                + options.drainTimeout().toSeconds()
                + " s after the step");
      }
      step.put("passed", why.isEmpty());
      step.put("failedBecause", why);
      steps.add(step);
      charts.steps.add(
          new double[] {
            rate,
            run.latencies().percentileMillis(50),
            run.latencies().percentileMillis(99),
            run.latencies().percentileMillis(99.9),
            e2e.percentileMillis(50),
            e2e.percentileMillis(99)
          });
      say(
          summaryLine(phase, run, e2e)
              + (why.isEmpty() ? "  PASS" : "  STOP: " + String.join("; ", why)));
      if (drained) {
        inbox.clear();
      }
      if (!why.isEmpty()) {
        stoppedBecause = fmt(rate) + "/s: " + String.join("; ", why);
        // A stack that could not keep up may still deliver late SMS: give them time, then account.
        if (!drained) {
          drained = inbox.drain(phase, options.drainTimeout());
          step.put("smsAccountingAfterExtraDrain", inbox.accounting(phase));
          if (!drained) {
            problems.add(
                phase
                    + ": "
                    + inbox.pending(phase)
                    + " SMS never arrived ("
                    + 2 * options.drainTimeout().toSeconds()
                    + " s after the step)");
          } else {
            inbox.clear();
          }
        }
        break;
      }
      sustained = rate;
    }
    json.put("steps", steps);
    json.put("sustainedPerSecond", sustained);
    json.put("stoppedBecause", stoppedBecause);
    say("step test: sustained " + fmt(sustained) + "/s; stopped at " + stoppedBecause);
    return json;
  }

  private void check(OpenLoop.Run run, boolean drained, SmsInbox inbox) {
    problems.addAll(run.ledger().problems(run.name()));
    if (!drained) {
      problems.add(
          run.name()
              + ": "
              + inbox.pending(run.name())
              + " SMS never arrived within "
              + options.drainTimeout().toSeconds()
              + " s");
    }
  }

  private Map<String, Object> phaseJson(OpenLoop.Run run, Latencies e2e, Map<String, Object> sms) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("targetPerSecond", run.schedule().ratePerSecond());
    m.put("durationSeconds", Latencies.round(run.durationSeconds()));
    m.put("scheduled", run.ledger().scheduledCount());
    m.put("outcomes", run.ledger().outcomes());
    m.put("achievedPerSecond", Latencies.round(run.achievedPerSecond()));
    m.put("latency", run.latencies().summary());
    // [second, count, p50 ms, p99 ms, max ms]: where in the phase the slow requests were.
    m.put("latencyPerSecond", run.latencies().timeline());
    if (e2e != null) {
      m.put("endToEndLatency", e2e.summary());
    }
    if (sms != null) {
      m.put("sms", sms);
    }
    return m;
  }

  private static Map<String, Object> unavailable(String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("available", false);
    m.put("reason", reason);
    return m;
  }

  private static Map<String, Double> per1000(Map<String, Double> cpu, long count) {
    Map<String, Double> m = new LinkedHashMap<>();
    cpu.forEach(
        (k, v) -> {
          if (!k.equals("machineIdle")) {
            m.put(k, count == 0 ? Double.NaN : Latencies.round(v * 1000.0 / count));
          }
        });
    return m;
  }

  private static Map<String, Double> cores(Resources a, Resources b) {
    double seconds = Resources.seconds(a, b);
    Map<String, Double> m = new LinkedHashMap<>();
    Resources.cpuDelta(a, b).forEach((k, v) -> m.put(k, Latencies.round(v / seconds)));
    return m;
  }

  private Map<String, Object> optionsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("durationSeconds", options.duration().toMillis() / 1000.0);
    m.put("ratePerSecond", options.rate());
    m.put("stepRates", options.rates());
    m.put("stepDurationSeconds", options.stepDuration().toMillis() / 1000.0);
    m.put("ceilingDurationSeconds", options.ceilingDuration().toMillis() / 1000.0);
    m.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
    m.put("maxInFlight", options.concurrency());
    m.put("timeoutSeconds", options.timeout().toMillis() / 1000.0);
    m.put("p99ThresholdMs", options.p99ThresholdMs());
    m.put("e2eP99ThresholdMs", options.e2eP99ThresholdMs());
    m.put("usedRunningStack", options.runningStack() != null);
    m.put("firstAfterReadySeconds", options.firstAfterReady().toMillis() / 1000.0);
    m.put("productionWarmupSeconds", options.productionWarmup().toMillis() / 1000.0);
    m.put("overLimitSeconds", options.overLimitDuration().toMillis() / 1000.0);
    m.put("overLimitFactor", options.overLimitFactor());
    return m;
  }

  private static void safePoll(SmsInbox inbox) {
    try {
      inbox.poll();
    } catch (RuntimeException e) {
      // The drain after each phase polls again and reports what is missing.
    }
  }

  private static Consumer<OpenLoop.Run> progress(SmsInbox inbox, Latencies e2e) {
    return run -> {
      double t = Math.max(0, (System.nanoTime() - run.schedule().startNanos()) / 1e9);
      Ledger l = run.ledger();
      String sms =
          inbox == null
              ? ""
              : String.format(
                  Locale.ROOT, "  sms %d/%d", inbox.delivered(run.name()), l.count(Ledger.OK));
      System.err.printf(
          Locale.ROOT,
          "\r[%-21s] %5.1f/%.0f s  sent %6d  ok %6d  fail %4d  in flight %4d  p99 %7s ms%s   ",
          run.name(),
          t,
          run.durationSeconds(),
          l.scheduledCount(),
          l.count(Ledger.OK),
          l.failures(),
          l.inFlight(),
          run.latencies().count() == 0
              ? "-"
              : String.format(Locale.ROOT, "%.1f", run.latencies().percentileMillis(99)),
          sms);
    };
  }

  private static String summaryLine(String name, OpenLoop.Run run, Latencies e2e) {
    var s = run.latencies();
    String line =
        String.format(
            Locale.ROOT,
            "%s: %.0f/s target, %.1f/s achieved, %d ok of %d; API p50 %.1f p99 %.1f p99.9 %.1f max %.1f ms",
            name,
            run.schedule().ratePerSecond(),
            run.achievedPerSecond(),
            run.ledger().count(Ledger.OK),
            run.ledger().scheduledCount(),
            s.percentileMillis(50),
            s.percentileMillis(99),
            s.percentileMillis(99.9),
            s.maxMillis());
    if (e2e != null) {
      line +=
          String.format(
              Locale.ROOT,
              "; SMS p50 %.1f p99 %.1f ms",
              e2e.percentileMillis(50),
              e2e.percentileMillis(99));
    }
    return line;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void endLine() {
    System.err.println();
  }

  private static void say(String line) {
    System.out.println("bench: " + line);
  }
}
