package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./bench/run-audit-lag}: the audit lag under the challenge benchmark's load. Drives {@code
 * POST /v1/challenge} at a constant rate (open model, default 12.5/s: half the sustained challenge
 * rate recorded in docs/benchmarks.md), so every topic carries its normal share (requested,
 * dispatched, delivery receipts, rules' signals), and measures two things:
 *
 * <ol>
 *   <li><b>audit lag</b>, event produced → visible in the views: audit-service's {@code
 *       signet_audit_view_lag_seconds} histogram (each record's Kafka timestamp, set by its
 *       producer, to MongoDB acknowledging the bulk write that made it visible), the difference
 *       between two scrapes around the measured phase, so warm-up is excluded;
 *   <li><b>probe</b>: for a sample of challenges, the time from the API's answer to {@code GET
 *       /v1/audit/challenges/{id}} answering 200, polled every 10 ms. An upper bound: it also holds
 *       challenge-service's outbox publishing, which runs after the answer.
 * </ol>
 *
 * Options: {@code --rate 12.5 --warmup 10s --duration 60s --sample 0.2 --port-offset 700
 * --use-running-stack DIR}.
 */
public final class AuditLagBench {

  private static final Pattern BUCKET =
      Pattern.compile(
          "^signet_audit_view_lag_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*\\} (\\S+)$");

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    double rate = Double.parseDouble(o.getOrDefault("--rate", "12.5"));
    Duration warmup = duration(o.getOrDefault("--warmup", "10s"));
    Duration duration = duration(o.getOrDefault("--duration", "60s"));
    double sample = Double.parseDouble(o.getOrDefault("--sample", "0.2"));
    int offset = Integer.parseInt(o.getOrDefault("--port-offset", "700"));
    Path root = BenchMain.repositoryRoot();
    LocalStack stack =
        o.containsKey("--use-running-stack")
            ? BenchStack.attach(Path.of(o.get("--use-running-stack")))
            : BenchStack.start(
                root,
                root.resolve("bench/target/audit-lag-stack"),
                offset,
                Duration.ofMinutes(5),
                Map.of("SIGNET_SANDBOX_INBOX_CAPACITY", "100000"));
    ScheduledExecutorService poller =
        Executors.newScheduledThreadPool(2, Threads.daemon("audit-probe"));
    try (stack;
        Api api = new Api(Duration.ofSeconds(10))) {
      String audit = stack.url("audit");
      String bearer = "Bearer " + stack.managementSecret();
      String challengeUrl = stack.url("challenge") + "/v1/challenge";
      String basic = Api.basic(stack.apiSecret());
      PhoneNumbers phones = new PhoneNumbers(System.nanoTime());
      OpenLoop loop = new OpenLoop(new Pacer(Pacer.SYSTEM), 256, Duration.ofSeconds(10));
      Latencies probe = new Latencies();
      AtomicLong probeTimeouts = new AtomicLong();

      say(String.format(Locale.ROOT, "warm-up %s at %.1f challenges/s", warmup, rate));
      loop.run("warmup", rate, warmup, challenge(api, challengeUrl, basic, phones, null), r -> {});
      awaitCaughtUp(api, audit, bearer, Duration.ofSeconds(120));
      Map<Double, Long> before = scrape(api, audit, stack.managementSecret());

      say(String.format(Locale.ROOT, "measuring %s at %.1f challenges/s", duration, rate));
      ProbeSink sink = new ProbeSink(api, poller, audit, bearer, probe, probeTimeouts, sample);
      OpenLoop.Run run =
          loop.run(
              "audit-lag",
              rate,
              duration,
              challenge(api, challengeUrl, basic, phones, sink),
              r -> {});
      awaitCaughtUp(api, audit, bearer, Duration.ofSeconds(120));
      Map<Double, Long> after = scrape(api, audit, stack.managementSecret());
      poller.shutdown();
      poller.awaitTermination(15, TimeUnit.SECONDS);

      Map<Double, Long> delta = new TreeMap<>();
      after.forEach((le, n) -> delta.put(le, n - before.getOrDefault(le, 0L)));
      long count = delta.getOrDefault(Double.POSITIVE_INFINITY, 0L);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("machine", Machine.oneLine());
      result.put("loadAverageAfter", Machine.loadAverage());
      result.put("rate", rate);
      result.put("durationSeconds", duration.toSeconds());
      result.put("challengesOk", run.ledger().count(Ledger.OK));
      result.put("challengesScheduled", run.ledger().scheduledCount());
      result.put("achievedPerSecond", Latencies.round(run.achievedPerSecond()));
      result.put("apiLatency", run.latencies().summary());
      Map<String, Object> lag = new LinkedHashMap<>();
      lag.put("records", count);
      lag.put("p50MsAtMost", bucketPercentile(delta, 0.50));
      lag.put("p90MsAtMost", bucketPercentile(delta, 0.90));
      lag.put("p99MsAtMost", bucketPercentile(delta, 0.99));
      lag.put("p999MsAtMost", bucketPercentile(delta, 0.999));
      result.put("auditLag", lag);
      Map<String, Object> probed = new LinkedHashMap<>(probe.summary());
      probed.put("timeouts", probeTimeouts.get());
      result.put("apiAnswerToChallengeView", probed);
      result.put(
          "lagEndpoint",
          Api.parse(api.sendNow("GET", audit + "/v1/audit/lag", bearer).body()).path("viewLag"));
      String json = Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
      System.out.println(json);
      Path out =
          root.resolve(
              "bench/target/results/audit-lag-"
                  + ZonedDateTime.now(ZoneOffset.UTC)
                      .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                  + ".json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, json);
      say("written " + root.relativize(out));
    }
    System.exit(0);
  }

  /** Receives the challenge ids the API returned, and polls a sample of them in the views. */
  private static final class ProbeSink {
    private final Api api;
    private final ScheduledExecutorService poller;
    private final String audit;
    private final String bearer;
    private final Latencies probe;
    private final AtomicLong timeouts;
    private final double sample;
    private final AtomicLong seen = new AtomicLong();

    ProbeSink(
        Api api,
        ScheduledExecutorService poller,
        String audit,
        String bearer,
        Latencies probe,
        AtomicLong timeouts,
        double sample) {
      this.api = api;
      this.poller = poller;
      this.audit = audit;
      this.bearer = bearer;
      this.probe = probe;
      this.timeouts = timeouts;
      this.sample = sample;
    }

    void answered(String challengeId, int second) {
      long n = seen.incrementAndGet();
      if (sample <= 0 || (n % Math.max(1, Math.round(1 / sample))) != 0) {
        return;
      }
      long answeredAt = System.nanoTime();
      poll(challengeId, second, answeredAt);
    }

    private void poll(String challengeId, int second, long answeredAt) {
      if (System.nanoTime() - answeredAt > 30_000_000_000L) {
        timeouts.incrementAndGet();
        return;
      }
      api.send("GET", audit + "/v1/audit/challenges/" + challengeId, bearer)
          .whenComplete(
              (response, failure) -> {
                if (failure == null && response.statusCode() == 200) {
                  probe.record(second, System.nanoTime() - answeredAt);
                } else if (!poller.isShutdown()) {
                  poller.schedule(
                      () -> poll(challengeId, second, answeredAt), 10, TimeUnit.MILLISECONDS);
                }
              });
    }
  }

  private static OpenLoop.Operation challenge(
      Api api, String url, String authorization, PhoneNumbers phones, ProbeSink sink) {
    return (index, intended, second) -> {
      String body =
          "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
              + phones.next()
              + "\"}";
      CompletableFuture<HttpResponse<String>> sent = api.post(url, authorization, body);
      return sent.thenApply(
          response -> {
            if (response.statusCode() != 200) {
              return Api.errorOutcome(response);
            }
            if (sink != null) {
              sink.answered(Api.parse(response.body()).path("challengeId").asText(), second);
            }
            return Ledger.OK;
          });
    };
  }

  /** Until audit-service reports no consumer lag on any topic (the poller refreshes every 5 s). */
  private static void awaitCaughtUp(Api api, String audit, String bearer, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int zeroInARow = 0;
    while (System.nanoTime() < deadline) {
      JsonNode lag = Api.parse(api.sendNow("GET", audit + "/v1/audit/lag", bearer).body());
      long total = 0;
      for (JsonNode t : lag.path("topics")) {
        total += Math.max(0, t.path("consumerLag").asLong(0));
      }
      zeroInARow = total == 0 ? zeroInARow + 1 : 0;
      if (zeroInARow >= 3 && lag.path("pendingPublications").asLong() == 0) {
        return;
      }
      Thread.sleep(2_000);
    }
    say("audit-service did not catch up within " + timeout);
  }

  private static Map<Double, Long> scrape(Api api, String audit, String managementSecret) {
    Map<Double, Long> buckets = new TreeMap<>();
    String text =
        api.sendNow("GET", audit + "/actuator/prometheus", "Bearer " + managementSecret).body();
    for (String line : text.split("\n")) {
      Matcher m = BUCKET.matcher(line);
      if (m.matches()) {
        double le =
            m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
        buckets.merge(le, (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return buckets;
  }

  /** The upper bound (ms) of the first histogram bucket holding the percentile. */
  static Double bucketPercentile(Map<Double, Long> cumulative, double p) {
    long total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0L);
    if (total == 0) {
      return null;
    }
    for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
      if (e.getValue() >= Math.ceil(p * total)) {
        return e.getKey().isInfinite() ? null : Latencies.round(e.getKey() * 1000);
      }
    }
    return null;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!List.of(
              "--rate",
              "--warmup",
              "--duration",
              "--sample",
              "--port-offset",
              "--use-running-stack")
          .contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      o.put(args[i], args[i + 1]);
    }
    return o;
  }

  private static Duration duration(String text) {
    if (text.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
  }

  private static void say(String line) {
    System.out.println("[audit-lag] " + line);
  }
}
