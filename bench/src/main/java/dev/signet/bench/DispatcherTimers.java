package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dispatcher's own view of a phase, from two scrapes of its Prometheus histograms: {@code
 * handoff} (event arrival at the listener to the provider call: guard, claim, code opening, route
 * choice and hand-off, which is where routing adds its work) and {@code providerCall} (the SDK
 * call). Percentiles are bucket upper bounds ({@link PrometheusHistogram}).
 */
final class DispatcherTimers {

  private static final Map<String, String> TIMERS =
      new java.util.TreeMap<>(
          Map.of(
              "handoff", "signet_sms_dispatch_handoff_seconds",
              "providerCall", "signet_sms_provider_call_seconds"));

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final LocalStack stack;

  DispatcherTimers(LocalStack stack) {
    this.stack = stack;
  }

  /** A snapshot of both histograms; a histogram the dispatcher did not give is left out. */
  Map<String, PrometheusHistogram> snapshot() {
    Map<String, PrometheusHistogram> snapshot = new LinkedHashMap<>();
    TIMERS.forEach(
        (key, name) -> {
          try {
            snapshot.put(
                key,
                PrometheusHistogram.scrape(
                    http, stack.url("dispatcher"), name, stack.managementSecret()));
          } catch (Exception e) {
            // Left out: a delta against a missing snapshot would count everything since start.
          }
        });
    return snapshot;
  }

  /**
   * p50 and p99 (ms, bucket upper bounds) and counts of what was recorded between two snapshots.
   */
  static Map<String, Object> between(
      Map<String, PrometheusHistogram> before, Map<String, PrometheusHistogram> after) {
    Map<String, Object> json = new LinkedHashMap<>();
    for (String key : TIMERS.keySet()) {
      if (before.get(key) == null || after.get(key) == null) {
        json.put(key, Map.of("unavailable", "the dispatcher's metrics could not be read"));
        continue;
      }
      PrometheusHistogram delta = after.get(key).minus(before.get(key));
      Map<String, Object> timer = new LinkedHashMap<>();
      timer.put("count", delta.count());
      timer.put("p50MsAtMost", millis(delta.percentileMillis(50)));
      timer.put("p99MsAtMost", millis(delta.percentileMillis(99)));
      json.put(key, timer);
    }
    return json;
  }

  private static Object millis(double value) {
    return Double.isFinite(value) ? Latencies.round(value) : "-";
  }
}
