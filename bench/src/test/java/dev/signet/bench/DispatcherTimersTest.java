package dev.signet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherTimersTest {

  private static final String BEFORE =
      """
      signet_sms_dispatch_handoff_seconds_bucket{le="0.001"} 10
      signet_sms_dispatch_handoff_seconds_bucket{le="0.01"} 10
      signet_sms_dispatch_handoff_seconds_bucket{le="+Inf"} 10
      """;
  private static final String AFTER =
      """
      signet_sms_dispatch_handoff_seconds_bucket{le="0.001"} 60
      signet_sms_dispatch_handoff_seconds_bucket{le="0.01"} 109
      signet_sms_dispatch_handoff_seconds_bucket{le="+Inf"} 110
      """;

  @Test
  void aPhasesP99IsWhatWasRecordedBetweenTheScrapesAndAMissedScrapeReportsNothing() {
    Map<String, PrometheusHistogram> before = new LinkedHashMap<>();
    before.put("handoff", PrometheusHistogram.parse(BEFORE, "signet_sms_dispatch_handoff_seconds"));
    Map<String, PrometheusHistogram> after = new LinkedHashMap<>();
    after.put("handoff", PrometheusHistogram.parse(AFTER, "signet_sms_dispatch_handoff_seconds"));
    after.put("providerCall", PrometheusHistogram.parse(AFTER, "signet_sms_provider_call_seconds"));

    Map<String, Object> json = DispatcherTimers.between(before, after);

    @SuppressWarnings("unchecked")
    Map<String, Object> handoff = (Map<String, Object>) json.get("handoff");
    assertThat(handoff).containsEntry("count", 100L).containsEntry("p99MsAtMost", 10.0);
    assertThat(json.get("providerCall").toString()).contains("unavailable");
  }
}
