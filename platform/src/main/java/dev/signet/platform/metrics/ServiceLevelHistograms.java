package dev.signet.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Publishes {@code http.server.requests} as a histogram (Prometheus {@code _bucket} series), so
 * that a p99 can be computed across instances with {@code histogram_quantile} as the alert rules in
 * {@code deploy/prometheus} do; a client-side percentile cannot be aggregated. The range, 5 ms to
 * 10 s, keeps it to about 50 buckets per series.
 */
public final class ServiceLevelHistograms implements MeterFilter {

  static final String HTTP_SERVER_REQUESTS = "http.server.requests";

  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
      return config;
    }
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(true)
        .minimumExpectedValue((double) Duration.ofMillis(5).toNanos())
        .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
        .build()
        .merge(config);
  }
}
