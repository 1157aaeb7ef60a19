package dev.signet.rules.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PumpingGuardTest {

  static final Instant NOW = Instant.parse("2026-11-25T21:00:00Z");

  static SendPolicy policy(int perPrefix, int perCountry, double minRate, int minVolume) {
    return new SendPolicy(
        SendPolicy.GLOBAL,
        7,
        new SendPolicy.Settings(
            List.of("GB", "FR"),
            false,
            SendPolicy.Velocity.OFF,
            new SendPolicy.Velocity(perPrefix, Duration.ofMinutes(10)),
            new SendPolicy.Velocity(perCountry, Duration.ofHours(1)),
            null,
            minRate,
            minVolume,
            Duration.ofHours(1),
            Duration.ofMinutes(30)),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        "test",
        NOW,
        "c");
  }

  @Test
  void thePrefixIsTheNumberWithoutItsLastFourDigits() {
    assertThat(PumpingGuard.prefixOf("+447700900123")).isEqualTo("+44770090");
    assertThat(PumpingGuard.prefixOf("+4477009001234")).isEqualTo("+447700900");
    assertThat(PumpingGuard.prefixOf("+4477")).isNull();
    assertThat(PumpingGuard.prefixOf("447700900123")).isNull();
    assertThat(PumpingGuard.prefixOf(null)).isNull();
  }

  @Test
  void velocityFiresOnlyOverTheLimitAndOnlyWhenTheLimitIsOn() {
    SendPolicy p = policy(5, 100, 0, 0);
    assertThat(PumpingGuard.velocity(p, SendPolicy.Kind.PREFIX, "+44770090", 5)).isEmpty();
    PumpingGuard.Detection d =
        PumpingGuard.velocity(p, SendPolicy.Kind.PREFIX, "+44770090", 6).orElseThrow();
    assertThat(d.reason()).isEqualTo(PumpingGuard.PREFIX_VELOCITY);
    assertThat(d.limit()).isEqualTo(5);
    assertThat(d.observed()).isEqualTo(6);
    assertThat(d.block(p, NOW).until()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    assertThat(PumpingGuard.velocity(p, SendPolicy.Kind.COUNTRY, "GB", 101).orElseThrow().reason())
        .isEqualTo(PumpingGuard.COUNTRY_VELOCITY);
    assertThat(PumpingGuard.velocity(policy(0, 0, 0, 0), SendPolicy.Kind.PREFIX, "+4477", 10_000))
        .isEmpty();
  }

  @Test
  void theConversionBreakerNeedsTheMinimumVolumeAndARateBelowTheThreshold() {
    SendPolicy p = policy(0, 0, 0.5, 10);
    assertThat(PumpingGuard.conversion(p, "FR", 9, 0)).isEmpty(); // under the minimum volume
    assertThat(PumpingGuard.conversion(p, "FR", 10, 5)).isEmpty(); // exactly the threshold
    PumpingGuard.Detection d = PumpingGuard.conversion(p, "FR", 10, 4).orElseThrow();
    assertThat(d.reason()).isEqualTo(PumpingGuard.CONVERSION_LOW);
    assertThat(d.kind()).isEqualTo(SendPolicy.Kind.COUNTRY);
    assertThat(d.detail()).contains("4 verified / 10 sent");
    assertThat(PumpingGuard.conversion(policy(0, 0, 0, 10), "FR", 1000, 0)).isEmpty(); // off
  }

  @Test
  void blocksReplaceEarlierOnesExpiredOnesAreDroppedAndLiftsAreRemembered() {
    SendPolicy p = policy(5, 0, 0, 0);
    SendPolicy.Block old = new SendPolicy.Block("+44770091", "operator", NOW.plusSeconds(60), NOW);
    SendPolicy v8 = p.withBlock(SendPolicy.Kind.PREFIX, old, "op", NOW, "c1");
    assertThat(v8.version()).isEqualTo(8);
    assertThat(v8.activeBlock(SendPolicy.Kind.PREFIX, "+44770091", NOW)).contains(old);
    assertThat(v8.activeBlock(SendPolicy.Kind.PREFIX, "+44770091", NOW.plusSeconds(61))).isEmpty();

    SendPolicy.Block open = new SendPolicy.Block("+44770091", "fraud", null, NOW);
    SendPolicy v9 = v8.withBlock(SendPolicy.Kind.PREFIX, open, "op", NOW, "c2");
    assertThat(v9.blockedPrefixes()).containsExactly(open);
    assertThat(v9.activeBlock(SendPolicy.Kind.PREFIX, "+44770091", NOW.plusSeconds(86400)))
        .isPresent();

    Instant later = NOW.plusSeconds(120);
    SendPolicy v10 = v9.withLift(SendPolicy.Kind.PREFIX, "+44770091", "op", later, "c3");
    assertThat(v10.blockedPrefixes()).isEmpty();
    assertThat(v10.liftedAt(SendPolicy.Kind.PREFIX, "+44770091")).contains(later);
    assertThat(v10.liftedAt(SendPolicy.Kind.COUNTRY, "+44770091")).isEmpty();

    SendPolicy v11 =
        v10.withBlock(
                SendPolicy.Kind.COUNTRY,
                new SendPolicy.Block("FR", "conversion_low", later.plusSeconds(10), later),
                "op",
                later,
                "c4")
            .withSettings(v10.settings(), "op", later.plusSeconds(11), "c5");
    assertThat(v11.version()).isEqualTo(12);
    assertThat(v11.blockedCountries()).isEmpty(); // expired by the time of the change
  }
}
