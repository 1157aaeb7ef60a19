package dev.signet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in microseconds (HdrHistogram, 3 significant digits, up to 5 minutes),
 * plus one histogram per second of intended start time for the latency-over-time chart.
 */
final class Latencies {

  private static final long MAX_MICROS = 300_000_000L;

  private final Histogram all = new Histogram(MAX_MICROS, 3);
  private final List<Histogram> perSecond = new ArrayList<>();

  /** Records a latency; {@code second} is the request's intended start, seconds into the phase. */
  synchronized void record(int second, long latencyNanos) {
    long micros = Math.min(MAX_MICROS, Math.max(1, latencyNanos / 1_000));
    all.recordValue(micros);
    while (perSecond.size() <= second) {
      perSecond.add(new Histogram(MAX_MICROS, 3));
    }
    perSecond.get(Math.max(0, second)).recordValue(micros);
  }

  synchronized long count() {
    return all.getTotalCount();
  }

  synchronized double percentileMillis(double percentile) {
    return all.getTotalCount() == 0 ? Double.NaN : all.getValueAtPercentile(percentile) / 1000.0;
  }

  synchronized double maxMillis() {
    return all.getTotalCount() == 0 ? Double.NaN : all.getMaxValue() / 1000.0;
  }

  /** p50, p90, p99, p99.9, max in milliseconds, and the count. */
  synchronized Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("count", all.getTotalCount());
    if (all.getTotalCount() > 0) {
      s.put("p50Ms", round(all.getValueAtPercentile(50) / 1000.0));
      s.put("p90Ms", round(all.getValueAtPercentile(90) / 1000.0));
      s.put("p99Ms", round(all.getValueAtPercentile(99) / 1000.0));
      s.put("p999Ms", round(all.getValueAtPercentile(99.9) / 1000.0));
      s.put("maxMs", round(all.getMaxValue() / 1000.0));
      s.put("meanMs", round(all.getMean() / 1000.0));
    }
    return s;
  }

  /** One row per second: [second, count, p50 ms, p99 ms, max ms]. */
  synchronized List<double[]> timeline() {
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < perSecond.size(); i++) {
      Histogram h = perSecond.get(i);
      if (h.getTotalCount() == 0) {
        continue;
      }
      rows.add(
          new double[] {
            i,
            h.getTotalCount(),
            h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0,
            h.getMaxValue() / 1000.0
          });
    }
    return rows;
  }

  static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
