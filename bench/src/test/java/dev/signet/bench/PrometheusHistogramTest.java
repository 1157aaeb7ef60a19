package dev.signet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusHistogramTest {

  private static final String BEFORE =
      """
      # TYPE signet_sms_dispatch_handoff_seconds histogram
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="0.001"} 10
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="0.002"} 20
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="0.005"} 30
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="+Inf"} 30
      signet_other_seconds_bucket{le="0.001"} 99
      """;

  private static final String AFTER =
      """
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="0.001"} 10
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="0.002"} 118
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="0.005"} 129
      signet_sms_dispatch_handoff_seconds_bucket{application="d",le="+Inf"} 130
      signet_other_seconds_bucket{le="0.001"} 500
      """;

  @Test
  void percentilesOfWhatWasRecordedBetweenTwoScrapesAreBucketUpperBounds() {
    String name = "signet_sms_dispatch_handoff_seconds";
    PrometheusHistogram delta =
        PrometheusHistogram.parse(AFTER, name).minus(PrometheusHistogram.parse(BEFORE, name));

    assertThat(delta.count()).isEqualTo(100);
    assertThat(delta.percentileMillis(50)).isEqualTo(2.0);
    assertThat(delta.percentileMillis(98)).isEqualTo(2.0);
    assertThat(delta.percentileMillis(99)).isEqualTo(5.0);
    assertThat(delta.percentileMillis(100)).isInfinite();
  }

  @Test
  void anEmptyOrMissingHistogramHasNoPercentiles() {
    assertThat(PrometheusHistogram.parse("", "x").percentileMillis(99)).isNaN();
  }
}
