package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.net.http.HttpResponse;
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
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * {@code track} latency including the Kafka round trip to rules-service: {@code POST
 * /v1/users/{userId}/actions/{action}} for enrolled users at increasing constant arrival rates
 * (open model, latency from the intended start), then at half the highest rate that held. A request
 * counts as {@code ok} only when it came back with a real decision (a rule id or the default
 * outcome), never with the decision-timeout fallback, which would hide the round trip.
 *
 * <p>Separate from {@link BenchMain}: {@code java -cp bench/target/classes:bench/target/lib/*
 * dev.signet.bench.TrackBench [--port-offset 650] [--use-running-stack DIR] [--rates
 * 10,25,50,100,150] [--step-duration 15s] [--half-duration 30s]}. Prints a Markdown section and
 * writes it with a JSON copy under {@code bench/target/results/}.
 */
public final class TrackBench {

  private static final String ACTION = "benchTrack";
  private static final String FALLBACK = "signet-decision-timeout";

  /**
   * A rate holds when nothing failed (a decision later than the 1 s deadline comes back as the
   * fallback, which counts as a failure), it kept up, and p99 stayed under this (no queue growing).
   */
  private static final double HOLD_P99_MS = 250;

  private TrackBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    int portOffset = Integer.parseInt(options.getOrDefault("--port-offset", "650"));
    List<Double> rates = new ArrayList<>();
    for (String r : options.getOrDefault("--rates", "10,25,50,100,150,200").split(",")) {
      rates.add(Double.parseDouble(r));
    }
    Duration step = duration(options.getOrDefault("--step-duration", "15s"));
    Duration half = duration(options.getOrDefault("--half-duration", "30s"));
    int users = Integer.parseInt(options.getOrDefault("--users", "200"));
    // As in the dispatcher bench: "production" is the JVM's C1 then C2, as the production image
    // runs; "local" the local stack's C1 only, which every track run before 26 November, 03:10
    // used.
    String jit = options.getOrDefault("--jit", "production");
    if (!jit.equals("production") && !jit.equals("local")) {
      throw new IllegalArgumentException("--jit is production or local: " + jit);
    }
    boolean productionJit = jit.equals("production");
    Path root = BenchMain.repositoryRoot();

    boolean startHere = !options.containsKey("--use-running-stack");
    Path dataDir =
        startHere
            ? root.resolve("bench/target/track-stack-" + portOffset)
            : Path.of(options.get("--use-running-stack"));
    LocalStack stack =
        startHere
            ? startStack(root, dataDir, portOffset, productionJit)
            : BenchStack.attach(dataDir);
    try (Api api = new Api(Duration.ofSeconds(10))) {
      Prepared prepared = prepare(api, stack, users);
      String ruleId = prepared.ruleId();
      OpenLoop loop = new OpenLoop(new Pacer(Pacer.SYSTEM), 2000, Duration.ofSeconds(10));
      String loadBefore = loadAverage();

      // Services on a shared machine: warm up long enough for the JIT and the pools.
      warmUp(prepared, loop, productionJit);
      List<Map<String, Object>> steps = new ArrayList<>();
      double sustained = 0;
      for (double rate : rates) {
        OpenLoop.Run run = prepared.run(loop, rate, step, "step " + rate + "/s");
        Map<String, Object> row = row(run, rate);
        steps.add(row);
        boolean held =
            run.ledger().failures() == 0
                && run.achievedPerSecond() >= rate * 0.95
                && run.latencies().percentileMillis(99) < HOLD_P99_MS;
        row.put("held", held);
        if (!held) {
          break;
        }
        sustained = rate;
      }
      Map<String, Object> halfRow = null;
      if (sustained > 0) {
        double halfRate = sustained / 2;
        if (startHere) {
          // The step that was not held leaves a backlog and a grown store behind: half the rate
          // runs on a fresh stack, warmed up as long as the first one was before its steps.
          System.err.println("track-bench: restarting the stack for half the sustained rate");
          stack.close();
          stack = startStack(root, dataDir, portOffset, productionJit);
          prepared = prepare(api, stack, users);
          warmUp(prepared, loop, productionJit);
          prepared.run(loop, rates.get(0), step, "warm-up " + rates.get(0) + "/s");
        }
        OpenLoop.Run run = prepared.run(loop, halfRate, half, "half " + halfRate + "/s");
        halfRow = row(run, halfRate);
      }
      String loadAfter = loadAverage();
      String markdown =
          markdown(steps, sustained, halfRow, ruleId, users, step, half, loadBefore, loadAfter)
              + (productionJit
                  ? "\nJIT: production (C1 then C2), warmed up 30 s at 10/s and 120 s at 100/s.\n"
                  : "\nJIT: the local stack's C1 only, warmed up 30 s at 10/s.\n");
      System.out.println(markdown);
      String timestamp =
          ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path results = root.resolve("bench/target/results");
      Files.createDirectories(results);
      Files.writeString(results.resolve("track-" + timestamp + ".md"), markdown);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("steps", steps);
      json.put("sustainedRate", sustained);
      json.put("half", halfRow);
      json.put("loadBefore", loadBefore);
      json.put("loadAfter", loadAfter);
      json.put("jit", jit);
      Files.writeString(
          results.resolve("track-" + timestamp + ".json"), Api.JSON.writeValueAsString(json));
    } finally {
      stack.close();
    }
  }

  /** What track needs and nothing else: no other service competes for the CPU. */
  static final String TRACK_ALONE = "kafka,mongo,registry,challenge,rules";

  /**
   * 30 s at 10/s; with the production JIT 120 s more at 100/s, so that C2 has compiled the request
   * path before the first step (on two cores its compiler threads otherwise compete with the load).
   */
  private static void warmUp(Prepared prepared, OpenLoop loop, boolean productionJit) {
    prepared.run(loop, 10, Duration.ofSeconds(30), "warm-up");
    if (productionJit) {
      prepared.run(loop, 100, Duration.ofSeconds(120), "warm-up for C2");
    }
  }

  private static LocalStack startStack(
      Path root, Path dataDir, int portOffset, boolean productionJit) {
    System.err.println("track-bench: starting " + TRACK_ALONE + " at port offset " + portOffset);
    return BenchStack.start(
        root,
        dataDir,
        portOffset,
        Duration.ofMinutes(5),
        BenchStack.benchJvm(productionJit),
        List.of("--only", TRACK_ALONE));
  }

  /** The rule and the enrolled users of one stack, and the load on them. */
  private record Prepared(Api api, String base, String auth, String ruleId, List<String> userIds) {
    OpenLoop.Run run(OpenLoop loop, double rate, Duration duration, String name) {
      return TrackBench.run(loop, api, base, auth, userIds, rate, duration, name);
    }
  }

  private static Prepared prepare(Api api, LocalStack stack, int users) throws Exception {
    String auth = Api.basic(stack.apiSecret());
    String base = stack.url("challenge");
    String ruleId = createRule(api, stack.url("rules"), stack.managementSecret());
    return new Prepared(api, base, auth, ruleId, enrol(api, base, auth, users));
  }

  private static OpenLoop.Run run(
      OpenLoop loop,
      Api api,
      String base,
      String auth,
      List<String> userIds,
      double rate,
      Duration duration,
      String name) {
    return loop.run(
        name,
        rate,
        duration,
        (index, intended, second) -> {
          String userId = userIds.get((int) (index % userIds.size()));
          String body =
              "{\"deviceId\":\"d-"
                  + (index % 7)
                  + "\",\"ipAddress\":\"203.0.113."
                  + (index % 250)
                  + "\",\"custom\":{\"amount\":"
                  + (index % 2000)
                  + "}}";
          return api.post(base + "/v1/users/" + userId + "/actions/" + ACTION, auth, body)
              .thenApply(TrackBench::outcome);
        },
        progress -> {});
  }

  private static String outcome(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return Api.errorOutcome(response);
    }
    JsonNode body = Api.parse(response.body());
    String state = body.path("state").asText("");
    if (body.path("ruleIds").toString().contains(FALLBACK)) {
      return "fallback:" + state;
    }
    return switch (state) {
      case "CHALLENGE_REQUIRED", "REVIEW_REQUIRED", "ALLOW", "BLOCK" -> Ledger.OK;
      default -> "unexpected:state=" + state;
    };
  }

  private static Map<String, Object> row(OpenLoop.Run run, double rate) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rate", rate);
    row.put("sent", run.ledger().scheduledCount());
    row.put("ok", run.ledger().count(Ledger.OK));
    row.put("failures", run.ledger().failures());
    row.put("outcomes", run.ledger().outcomes());
    row.put("achievedPerSecond", Latencies.round(run.achievedPerSecond()));
    row.putAll(run.latencies().summary());
    return row;
  }

  private static String createRule(Api api, String rulesUrl, String managementSecret)
      throws Exception {
    // Reads a signal (new device) and a custom value, so a decision costs what a real one does.
    String rule =
        "{\"name\":\"Large amount from a new device\",\"outcome\":\"REVIEW\",\"condition\":"
            + "{\"type\":\"all\",\"conditions\":[{\"type\":\"newDevice\"},"
            + "{\"type\":\"custom\",\"key\":\"amount\",\"operator\":\"gt\",\"value\":1990}]}}";
    HttpResponse<String> created =
        api.post(
                rulesUrl + "/v1/management/actions/" + ACTION + "/rules",
                "Bearer " + managementSecret,
                rule)
            .get();
    if (created.statusCode() != 201) {
      throw new IllegalStateException("rule not created: " + created.body());
    }
    return Api.parse(created.body()).path("ruleId").asText();
  }

  private static List<String> enrol(Api api, String base, String auth, int users) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      String userId = "bench-track-" + UUID.randomUUID();
      String phone = String.format(Locale.ROOT, "+4477009%05d", 90_000 + i);
      HttpResponse<String> r =
          api.post(
                  base + "/v1/users/" + userId + "/authenticators",
                  auth,
                  "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"" + phone + "\"}")
              .get();
      if (r.statusCode() != 200) {
        throw new IllegalStateException("enrolment failed: " + r.body());
      }
      ids.add(userId);
    }
    return ids;
  }

  private static String markdown(
      List<Map<String, Object>> steps,
      double sustained,
      Map<String, Object> half,
      String ruleId,
      int users,
      Duration step,
      Duration halfDuration,
      String loadBefore,
      String loadAfter) {
    StringBuilder md = new StringBuilder();
    md.append(
            "| Rate (/s) | Sent | OK | Failed | Achieved (/s) | p50 ms | p90 ms | p99 ms | max ms |")
        .append(" Held |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Map<String, Object> row : steps) {
      md.append(line(row)).append(" ").append(row.get("held")).append(" |\n");
    }
    md.append("\nSustained (highest rate held: no failure or fallback, ≥ 95 % achieved, p99 < ")
        .append((int) HOLD_P99_MS)
        .append(" ms): **")
        .append(sustained)
        .append("/s**.\n\n");
    if (half != null) {
      md.append("Half the sustained rate for ")
          .append(halfDuration.toSeconds())
          .append(" s:\n\n| Rate (/s) | Sent | OK | Failed | Achieved (/s) | p50 ms | p90 ms |")
          .append(" p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
          .append(line(half))
          .append("\n\n");
    }
    md.append(users)
        .append(" enrolled users, one rule (`")
        .append(ruleId)
        .append("`, new device and amount), steps of ")
        .append(step.toSeconds())
        .append(" s; load average before ")
        .append(loadBefore)
        .append(", after ")
        .append(loadAfter)
        .append(".\n");
    return md.toString();
  }

  private static String line(Map<String, Object> row) {
    return "| "
        + row.get("rate")
        + " | "
        + row.get("sent")
        + " | "
        + row.get("ok")
        + " | "
        + row.get("failures")
        + " | "
        + row.get("achievedPerSecond")
        + " | "
        + row.getOrDefault("p50Ms", "–")
        + " | "
        + row.getOrDefault("p90Ms", "–")
        + " | "
        + row.getOrDefault("p99Ms", "–")
        + " | "
        + row.getOrDefault("maxMs", "–")
        + " |";
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static Duration duration(String text) {
    return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      options.put(args[i], i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "");
    }
    return options;
  }
}
