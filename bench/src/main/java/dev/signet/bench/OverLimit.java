package dev.signet.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Challenges above the provider limit: the dispatcher sends at the limit and the rest wait, so the
 * SMS delay of a challenge grows with the time it arrived into the overload. Measured as the slope
 * of the per-second median challenge → SMS delay over the phase (least squares), next to the
 * queueing model's {@code (rate - limit) / limit} seconds of delay per second of overload.
 */
final class OverLimit {

  private OverLimit() {}

  /** One phase's run, its SMS latencies and whether every SMS arrived. */
  record Phase(
      OpenLoop.Run run,
      Latencies e2e,
      boolean drained,
      Map<String, Object> accounting,
      SmsInbox inbox) {}

  /** Runs a named phase at a rate for a duration. */
  interface Runner {
    Phase run(String name, double rate, Duration duration);
  }

  static Map<String, Object> measure(
      int limit, double rate, Duration duration, Runner runner, List<String> problems) {
    String name = "over-limit";
    Phase p = runner.run(name, rate, duration);
    problems.addAll(p.run().ledger().problems(name));
    if (!p.drained()) {
      problems.add(name + ": " + p.inbox().pending(name) + " SMS never arrived");
    }
    double slope = slope(p.e2e().timeline());
    double model = (rate - limit) / limit;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("providerLimitPerSecond", limit);
    m.put("targetPerSecond", rate);
    m.put("overloadPerSecond", Latencies.round(rate - limit));
    m.put("durationSeconds", Latencies.round(p.run().durationSeconds()));
    m.put("achievedPerSecond", Latencies.round(p.run().achievedPerSecond()));
    m.put("outcomes", p.run().ledger().outcomes());
    m.put("latency", p.run().latencies().summary());
    m.put("endToEndLatency", p.e2e().summary());
    m.put("sms", p.accounting());
    m.put("smsDelaySecondsPerSecondOfOverload", Latencies.round(slope));
    m.put("queueingModelSecondsPerSecond", Latencies.round(model));
    System.out.printf(
        Locale.ROOT,
        "bench: over the provider limit: %.0f/s against %d/s for %.0f s: SMS delay grew %.2f s per"
            + " second (model %.2f); API p99 %.1f ms, SMS p99 %.0f ms%n",
        rate,
        limit,
        p.run().durationSeconds(),
        slope,
        model,
        p.run().latencies().percentileMillis(99),
        p.e2e().percentileMillis(99));
    if (p.drained()) {
      p.inbox().clear();
    }
    return m;
  }

  /**
   * Least-squares slope of the median delay (ms) against the second the challenge was sent in, as
   * seconds of delay per second; rows as {@link Latencies#timeline()} gives them.
   */
  static double slope(List<double[]> timeline) {
    int n = timeline.size();
    if (n < 2) {
      return Double.NaN;
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] row : timeline) {
      double x = row[0];
      double y = row[2] / 1000.0;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
  }
}
