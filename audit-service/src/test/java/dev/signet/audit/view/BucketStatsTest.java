package dev.signet.audit.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BucketStatsTest {

  @Test
  void percentilesAreNearestRankAndRatesGuardAgainstEmptyBuckets() {
    BucketStats stats = new BucketStats();
    assertThat(stats.percentile(0.5)).isNull();
    assertThat(stats.conversionRate()).isNull();
    assertThat(stats.deliveryRate()).isNull();

    LongStream.rangeClosed(1, 100).map(i -> 101 - i).forEach(stats.deliveryMillis::add);
    stats.challenges = 8;
    stats.verifications = 3;
    stats.sends = 4;
    stats.deliveries = 5; // a duplicate receipt never pushes the rate above 1

    assertThat(stats.percentile(0.5)).isEqualTo(50);
    assertThat(stats.percentile(0.95)).isEqualTo(95);
    assertThat(stats.percentile(1.0)).isEqualTo(100);
    assertThat(stats.conversionRate()).isEqualTo(0.375);
    assertThat(stats.deliveryRate()).isEqualTo(1.0);
  }
}
