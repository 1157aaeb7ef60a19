package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer sees on the first {@code ./run} of a fresh clone: the whole stack (Kafka,
 * MongoDB-wire server, registry, sandbox and the four services, from the jars the reactor built)
 * starts on an empty data folder, and no component logs a warning or an error while starting nor in
 * the seconds after (a missing topic, a consumer's first metadata fetch, a probe that times out on
 * a busy machine: each would greet the user with a WARN that is not theirs to fix).
 */
class FirstStartIT {

  /**
   * A log line at WARN or ERROR in any of the stack's formats: Spring Boot's {@code <timestamp>
   * WARN <pid> ---}, and slf4j-simple's {@code <time> [<thread>] WARN <logger>} (Kafka and the
   * MongoDB-wire server). Continuation lines of a stack trace follow such a line.
   */
  private static final Pattern WARN_OR_ERROR =
      Pattern.compile("^\\S+ +(\\[[^\\]]+\\] +)?(WARN|ERROR) ");

  /** How long the logs must stay clean after the stack reported ready. */
  private static final Duration QUIET_AFTER_READY = Duration.ofSeconds(15);

  private static final int OFFSET = FreePortOffset.find();

  @TempDir Path dataDir;

  private Process launcher;

  @AfterEach
  void stop() throws InterruptedException {
    if (launcher != null) {
      launcher.toHandle().destroy(); // SIGTERM: the launcher stops every component in order
      if (!launcher.waitFor(120, TimeUnit.SECONDS)) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
      }
    }
  }

  @Test
  void aFirstStartOfTheWholeStackLogsNoWarningAndNoError() throws IOException {
    Path launcherLog = Path.of("target", "first-start-it-launcher.log");
    launcher =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Path.of("target", "local-stack-" + Layout.launcherVersion() + ".jar").toString(),
                LocalStack.class.getName(),
                "--port-offset",
                Integer.toString(OFFSET),
                "--data-dir",
                dataDir.toString(),
                "--timeout",
                "300",
                "--quiet")
            .redirectErrorStream(true)
            .redirectOutput(launcherLog.toFile())
            .start();

    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(launcher.isAlive())
                  .as("launcher alive; its output: %s", Files.readString(launcherLog))
                  .isTrue();
              return Files.exists(dataDir.resolve("stack.json"));
            });
    assertThat(Files.readString(launcherLog)).contains("Kafka users, ACLs and topics are in place");

    await()
        .during(QUIET_AFTER_READY)
        .atMost(QUIET_AFTER_READY.plusSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(warningsAndErrors()).isEmpty());
    assertThat(logFiles())
        .extracting(p -> p.getFileName().toString())
        .contains(
            "kafka.log",
            "mongo.log",
            "zipkin.log",
            "registry.log",
            "sandbox.log",
            "challenge.log",
            "rules.log",
            "dispatcher.log",
            "audit.log");
  }

  /** Every WARN or ERROR line of every component's log, prefixed with the log's name. */
  private List<String> warningsAndErrors() {
    List<String> found = new ArrayList<>();
    for (Path log : logFiles()) {
      try {
        // Decoded leniently: a log may end in the middle of a character while it is written.
        new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
            .lines()
            .filter(line -> WARN_OR_ERROR.matcher(line).find())
            .forEach(line -> found.add(log.getFileName() + ": " + line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private List<Path> logFiles() {
    try (Stream<Path> files = Files.list(dataDir.resolve("logs"))) {
      return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
