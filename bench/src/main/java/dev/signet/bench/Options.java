package dev.signet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@code ./bench/run}. */
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
    boolean docs,
    List<Configuration> configurations,
    Duration firstAfterReady,
    Duration productionWarmup,
    Duration overLimitDuration,
    double overLimitFactor,
    List<Integer> instances) {

  static final String USAGE =
      """
      ./bench/run [options]
        --configurations L    which stacks to measure, each started on its own, in order
                              (default provider-limit,lifted,lifted-production-jit,lifted-untraced):
                                provider-limit         as shipped: the dispatcher holds the provider to
                                                       30 SMS/s; adds the over-limit phase
                                lifted                 provider limit lifted: Signet's own capacity,
                                                       services as ./run starts them (C1 only); adds
                                                       the ceilings and the step test
                                lifted-production-jit  the same with the production image's JIT and
                                                       heaps, after a C2 warm-up; adds the step test
                                lifted-untraced        lifted with tracing off: what tracing costs
                                lifted-routed          lifted with routing rules (every SMS drawn 50/50
                                                       between Vonage SMS API and Twilio): what routing
                                                       costs; not in the default list
                              All but lifted-untraced trace at the production default sampling (0.1).
                              A whole default run takes about 18 minutes on 2 cores.
        --first-after-ready D the phase right after the stack reports ready, before any warm-up, at
                              the main rate (default 20s; 0 skips it)
        --production-warmup D the C2 warm-up of lifted-production-jit, at 100/s (default 120s)
        --over-limit D        provider-limit's phase above the limit (default 20s; 0 skips it)
        --over-limit-factor F its rate as a multiple of the limit (default 1.5)
        --duration D          main challenge phase (default 20s)
        --rate R              its arrival rate, requests/s (default 25)
        --rates a,b,c         step-test arrival rates (default 25,50,100,150,200,300,500)
        --step-duration D     each step (default 10s)
        --ceiling-duration D  each open-model ceiling phase (default 8s)
        --warmup D            unrecorded warm-up at 20/s (default 5s)
        --concurrency N       most requests in flight; more are recorded as not sent (default 1000)
        --timeout D           per-request timeout (default 10s)
        --p99-threshold MS    step test stops when API p99 exceeds it (default 250)
        --e2e-p99-threshold MS  ...or when end-to-end p99 exceeds it (default 2000)
        --drain-timeout D     how long to wait for the last SMS of a phase (default 20s)
        --use-running-stack DIR  measure the stack described by DIR/stack.json instead of starting one
                              (one configuration: the stack as it runs)
        --port-offset N       port offset of the stack started here (default 300)
        --instances a,b       instances of each service: each configuration once per count
                              (default 1); above 1 the stack runs ./run --instances N, the
                              services behind its round-robin gateway, one broker
        --no-steps, --no-ceilings  skip those parts
        --no-docs             write results only under bench/target/results, not docs/
      Durations: 500ms, 30s, 2m.""";

  static Options parse(String[] args) {
    Duration duration = Duration.ofSeconds(20);
    double rate = 25;
    List<Double> rates = List.of(25.0, 50.0, 100.0, 150.0, 200.0, 300.0, 500.0);
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
    List<Configuration> configurations = Configuration.ALL;
    List<Integer> instances = List.of(1);
    Duration firstAfterReady = Duration.ofSeconds(20);
    Duration productionWarmup = Duration.ofSeconds(120);
    Duration overLimit = Duration.ofSeconds(20);
    double overLimitFactor = 1.5;
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
        case "--configurations" -> configurations = Configuration.list(args[++i]);
        case "--instances" -> instances = instances(args[++i]);
        case "--first-after-ready" -> firstAfterReady = duration(args[++i]);
        case "--production-warmup" -> productionWarmup = duration(args[++i]);
        case "--over-limit" -> overLimit = duration(args[++i]);
        case "--over-limit-factor" -> overLimitFactor = Double.parseDouble(args[++i]);
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
        docs,
        configurations,
        firstAfterReady,
        productionWarmup,
        overLimit,
        overLimitFactor,
        instances);
  }

  /** {@code --instances 1,2}: each configuration once per count, one after the other. */
  static List<Integer> instances(String csv) {
    List<Integer> counts = new java.util.ArrayList<>();
    for (String n : csv.split(",")) {
      if (!n.isBlank()) {
        int count = Integer.parseInt(n.trim());
        if (count < 1 || count > 6) {
          throw new IllegalArgumentException("--instances counts must be 1 to 6, got " + count);
        }
        counts.add(count);
      }
    }
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("--instances needs at least one count");
    }
    return List.copyOf(counts);
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
