package dev.signet.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceLevelHistogramsTest {

  @Test
  void httpServerRequestsAreExportedWithHistogramBucketsAndOtherTimersAreLeftAlone() {
    // given
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new ServiceLevelHistograms());

    // when
    Timer.builder("http.server.requests")
        .tag("uri", "/v1/challenge")
        .register(registry)
        .record(Duration.ofMillis(40));
    Timer.builder("some.other").register(registry).record(Duration.ofMillis(40));

    // then
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("http_server_requests_seconds_bucket{uri=\"/v1/challenge\",le=\"0.005\"} 0")
        .contains("http_server_requests_seconds_bucket{uri=\"/v1/challenge\",le=\"10.0\"} 1")
        .contains("http_server_requests_seconds_bucket{uri=\"/v1/challenge\",le=\"+Inf\"} 1")
        .doesNotContain("some_other_seconds_bucket");
  }
}
