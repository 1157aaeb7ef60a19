package dev.signet.platform.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A test-only clock: the system clock moved by the ISO-8601 duration written in a file ({@code
 * PT28H48M}), read on every tick, so an end-to-end test can let a month pass in seconds. Only a
 * process started with its service's {@code testing.clock-offset-file} setting uses it
 * (challenge-service, audit-service); the production profile refuses to start with that setting
 * (each service's production settings check). A missing file means no offset; an unreadable one is
 * an error, never a silent jump.
 */
public final class OffsetFileClock extends Clock {

  private final Clock base;
  private final Path file;

  public OffsetFileClock(Clock base, Path file) {
    this.base = base;
    this.file = file;
  }

  /** The offset in the file now; zero when the file is missing or empty. */
  public Duration offset() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return Duration.ZERO;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the clock offset file " + file, e);
    }
    if (text.isEmpty()) {
      return Duration.ZERO;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException(
          "the clock offset file " + file + " must hold an ISO-8601 duration, e.g. PT1H", e);
    }
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset());
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new OffsetFileClock(base.withZone(zone), file);
  }
}
