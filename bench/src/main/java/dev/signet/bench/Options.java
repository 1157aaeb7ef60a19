package dev.signet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@code ./bench/run}; defaults finish in under five minutes. */
record Options(
    Duration duration,
    double rate,
    List<Double> rates,
    Duration stepDuration,
    Duration ceilingDuration,
    Duration warmup,
    int concurrency,
    Duration timeout,
    double p99ThresholdMs,
    double e2eP99ThresholdMs,
    Duration drainTimeout,
    Path runningStack,
    int portOffset,
    boolean steps,
    boolean ceilings,
    boolean docs) {

  static final String USAGE =
      """
      ./bench/run [options]
        --duration D          main challenge phase (default 20s)
        --rate R              its arrival rate, requests/s (default 25)
        --rates a,b,c         step-test arrival rates (default 10,25,50,100,200)
        --step-duration D     each step (default 10s)
        --ceiling-duration D  each open-model ceiling phase (default 8s)
        --warmup D            unrecorded warm-up at 20/s (default 5s)
        --concurrency N       most requests in flight; more are recorded as not sent (default 1000)
        --timeout D           per-request timeout (default 10s)
        --p99-threshold MS    step test stops when API p99 exceeds it (default 250)
        --e2e-p99-threshold MS  ...or when end-to-end p99 exceeds it (default 2000)
        --drain-timeout D     how long to wait for the last SMS of a phase (default 20s)
        --use-running-stack DIR  measure the stack described by DIR/stack.json instead of starting one
        --port-offset N       port offset of the stack started here (default 300)
        --no-steps, --no-ceilings  skip those parts
        --no-docs             write results only under bench/target/results, not docs/
      Durations: 500ms, 30s, 2m.""";

  static Options parse(String[] args) {
    // Defaults keep a whole run, stack start included, under 5 minutes on 2 cores.
    Duration duration = Duration.ofSeconds(20);
    double rate = 25;
    List<Double> rates = List.of(10.0, 25.0, 50.0, 100.0, 200.0);
    Duration stepDuration = Duration.ofSeconds(10);
    Duration ceilingDuration = Duration.ofSeconds(8);
    Duration warmup = Duration.ofSeconds(5);
    int concurrency = 1000;
    Duration timeout = Duration.ofSeconds(10);
    double p99 = 250;
    double e2eP99 = 2000;
    Duration drain = Duration.ofSeconds(20);
    Path running = null;
    int portOffset = 300;
    boolean steps = true;
    boolean ceilings = true;
    boolean docs = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--duration" -> duration = duration(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--rates" -> rates = rates(args[++i]);
        case "--step-duration" -> stepDuration = duration(args[++i]);
        case "--ceiling-duration" -> ceilingDuration = duration(args[++i]);
        case "--warmup" -> warmup = duration(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--timeout" -> timeout = duration(args[++i]);
        case "--p99-threshold" -> p99 = Double.parseDouble(args[++i]);
        case "--e2e-p99-threshold" -> e2eP99 = Double.parseDouble(args[++i]);
        case "--drain-timeout" -> drain = duration(args[++i]);
        case "--use-running-stack" -> running = Path.of(args[++i]).toAbsolutePath();
        case "--port-offset" -> portOffset = Integer.parseInt(args[++i]);
        case "--no-steps" -> steps = false;
        case "--no-ceilings" -> ceilings = false;
        case "--no-docs" -> docs = false;
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    return new Options(
        duration,
        rate,
        rates,
        stepDuration,
        ceilingDuration,
        warmup,
        concurrency,
        timeout,
        p99,
        e2eP99,
        drain,
        running,
        portOffset,
        steps,
        ceilings,
        docs);
  }

  static Duration duration(String s) {
    String v = s.trim().toLowerCase();
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    if (v.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
    }
    if (v.endsWith("m")) {
      return Duration.ofSeconds(
          Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
  }

  static List<Double> rates(String s) {
    List<Double> list = new ArrayList<>();
    Arrays.stream(s.split(","))
        .map(String::trim)
        .filter(x -> !x.isEmpty())
        .forEach(x -> list.add(Double.parseDouble(x)));
    if (list.isEmpty()) {
      throw new IllegalArgumentException("--rates needs at least one rate");
    }
    return List.copyOf(list);
  }
}
