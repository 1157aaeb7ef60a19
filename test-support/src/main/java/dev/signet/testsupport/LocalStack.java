package dev.signet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as the README runs it ({@code ./run --no-build --in-memory --port-offset N
 * --quiet --data-dir DIR}), for the end-to-end tests and the benchmarks: either started here and
 * stopped by {@link #close()}, or an already running one. Everything else is read from the {@code
 * stack.json} the launcher writes, in one move, once every component is healthy: URLs, secrets and
 * the Kafka identities.
 */
public final class LocalStack extends StackDescription implements AutoCloseable {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

  private final Process launcher;
  private final double launchSeconds;

  private LocalStack(Path dataDir, Process launcher, double launchSeconds) {
    super(dataDir);
    this.launcher = launcher;
    this.launchSeconds = launchSeconds;
  }

  /**
   * How to start a stack: the repository it runs from, its data directory, port offset and launcher
   * log, variables added to the launcher's environment (it passes them to every component it
   * starts), more {@code ./run} options (e.g. {@code --only kafka,mongo}) and how long it may take
   * to become healthy.
   */
  public record Launch(
      Path root,
      Path dataDir,
      int portOffset,
      Path log,
      Map<String, String> environment,
      List<String> runOptions,
      Duration timeout) {

    public Launch {
      environment = Map.copyOf(environment);
      runOptions = List.copyOf(runOptions);
    }

    List<String> command() {
      List<String> command =
          new ArrayList<>(
              List.of(
                  root.resolve("run").toString(),
                  "--no-build",
                  "--in-memory",
                  "--port-offset",
                  Integer.toString(portOffset),
                  "--quiet",
                  "--data-dir",
                  dataDir.toString()));
      command.addAll(runOptions);
      return command;
    }
  }

  /**
   * The checkout this code runs in: the nearest directory up from here with the {@code run} script.
   */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("run"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (the 'run' script)");
    }
    return dir;
  }

  /** The stack described by {@code dataDir/stack.json}, started elsewhere; not stopped here. */
  public static LocalStack attach(Path dataDir) {
    Path file = dataDir.resolve("stack.json");
    if (!Files.exists(file)) {
      throw new IllegalStateException("no stack.json in " + dataDir + ": is the stack up?");
    }
    return new LocalStack(dataDir, null, Double.NaN);
  }

  /**
   * Starts the launcher and waits for its {@code stack.json}; a launcher that exits or is not
   * healthy in time fails the start (and is stopped), its log named in the message.
   */
  public static LocalStack start(Launch launch) {
    Path stackJson = launch.dataDir().resolve("stack.json");
    try {
      Files.createDirectories(launch.dataDir());
      Files.deleteIfExists(stackJson);
      ProcessBuilder builder =
          new ProcessBuilder(launch.command())
              .directory(launch.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(launch.log().toFile());
      builder.environment().putAll(launch.environment());
      long started = System.nanoTime();
      Process process = builder.start();
      long deadline = started + launch.timeout().toNanos();
      while (!Files.exists(stackJson)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the local stack exited with " + process.exitValue() + "; see " + launch.log());
        }
        if (System.nanoTime() - deadline > 0) {
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
          throw new IllegalStateException(
              "the local stack was not healthy in time; see " + launch.log());
        }
        process.waitFor(250, TimeUnit.MILLISECONDS);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new LocalStack(launch.dataDir(), process, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops a stack started here: the launcher stops every component it started. */
  @Override
  public void close() {
    if (launcher == null || !launcher.isAlive()) {
      return;
    }
    List<ProcessHandle> children = launcher.descendants().toList();
    launcher.destroy();
    try {
      if (!launcher.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  public boolean startedHere() {
    return launcher != null;
  }

  /** The launcher process of a stack started here (null when attached). */
  public Process launcher() {
    return launcher;
  }

  /** Seconds from the launcher's start to a healthy stack (NaN when attached). */
  public double launchSeconds() {
    return launchSeconds;
  }
}
