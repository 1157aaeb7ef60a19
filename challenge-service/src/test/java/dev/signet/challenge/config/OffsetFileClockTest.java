package dev.signet.challenge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.platform.config.OffsetFileClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class OffsetFileClockTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private final Clock base = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void movesTheTimeByTheDurationInTheFileReadOnEveryTick() throws Exception {
    Path file = dir.resolve("offset");
    OffsetFileClock clock = new OffsetFileClock(base, file);
    assertThat(clock.instant()).isEqualTo(NOW);

    Files.writeString(file, "P30D\n");
    assertThat(clock.instant()).isEqualTo(NOW.plus(Duration.ofDays(30)));

    Files.writeString(file, "PT28H48M");
    assertThat(clock.instant()).isEqualTo(NOW.plus(Duration.ofMinutes(1728)));
  }

  @Test
  void aMalformedOffsetIsAnErrorNotAJump() throws Exception {
    Path file = dir.resolve("offset");
    Files.writeString(file, "one month");

    assertThatThrownBy(() -> new OffsetFileClock(base, file).instant())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void theClockBeanIsTheSystemClockUnlessTheFileIsSetAndRefusesItInProduction() {
    ChallengeConfiguration configuration = new ChallengeConfiguration();
    MockEnvironment plain = new MockEnvironment();
    assertThat(configuration.clock(plain)).isNotInstanceOf(OffsetFileClock.class);

    MockEnvironment testing = new MockEnvironment();
    testing.setProperty(ChallengeConfiguration.CLOCK_OFFSET_FILE, dir.resolve("o").toString());
    assertThat(configuration.clock(testing)).isInstanceOf(OffsetFileClock.class);

    testing.setActiveProfiles("production");
    assertThatThrownBy(() -> configuration.clock(testing))
        .isInstanceOf(IllegalStateException.class);
  }
}
