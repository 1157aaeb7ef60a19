package dev.signet.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The processes one launcher owns: started only while the stack is not stopping, recorded in the
 * pid file, replaced when one dies ({@link Supervisor}), and stopped in groups (services first,
 * then registry and sandbox, then Kafka and Mongo) with a grace period each, leaving no process and
 * no port behind.
 */
final class Children {

  private final StackOptions options;
  private final Layout layout;
  private final PidFile pids;
  private final PrintStream out;
  private final Consumer<String> say;
  private final List<ChildProcess> children = new CopyOnWriteArrayList<>();

  private final Object lifecycle = new Object();
  private boolean stopping;
  private boolean stopped;

  Children(
      StackOptions options, Layout layout, PidFile pids, PrintStream out, Consumer<String> say) {
    this.options = options;
    this.layout = layout;
    this.pids = pids;
    this.out = out;
    this.say = say;
  }

  ChildProcess start(Launch launch) throws IOException {
    synchronized (lifecycle) {
      if (stopping) {
        throw new StoppingException();
      }
      Path workDir =
          launch.component().isHttp() ? layout.componentDir(launch.name()) : layout.runDir();
      Files.createDirectories(workDir);
      // Kafka and Mongo output stays in the log files: it is long and rarely what you look for.
      boolean echo = !options.quiet() && launch.component().isHttp();
      ChildProcess child = ChildProcess.start(launch, workDir, out, echo);
      children.add(child);
      pids.add(launch.name(), child.handle());
      return child;
    }
  }

  /** Resident memory of the child with this pid, -1 when it is not one of ours. */
  long rssKib(long pid) {
    return children.stream()
        .filter(c -> c.pid() == pid)
        .findFirst()
        .map(ChildProcess::rssKib)
        .orElse(-1L);
  }

  /** The components started so far (a restarted one in place of the process it replaced). */
  List<ChildProcess> running() {
    return List.copyOf(children);
  }

  /**
   * Starts {@code dead}'s component again with the same launch, in its place: the stop order, the
   * pid file and {@link #rssKib} then know the new process.
   */
  ChildProcess replace(ChildProcess dead) throws IOException {
    synchronized (lifecycle) {
      ChildProcess fresh = start(dead.launch());
      children.remove(dead);
      return fresh;
    }
  }

  boolean isStopping() {
    synchronized (lifecycle) {
      return stopping;
    }
  }

  /** The shutdown hook: services first, then registry and sandbox, then Kafka and Mongo. */
  void stopAll() {
    List<ChildProcess> running;
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopping = true;
      stopped = true;
      running = List.copyOf(children);
    }
    try {
      Files.deleteIfExists(layout.stackFile());
    } catch (IOException e) {
      say("cannot delete " + layout.stackFile() + ": " + e.getMessage());
    }
    if (!running.isEmpty()) {
      say("stopping " + running.size() + " components");
    }
    for (int group = 0; group < Component.STOP_GROUPS; group++) {
      int g = group;
      stopTogether(running.stream().filter(c -> c.component().stopGroup() == g).toList());
    }
    pids.delete();
    if (layout.throwaway()) {
      deleteRunFolder();
    }
    if (!running.isEmpty()) {
      reportPorts();
    }
    out.flush();
  }

  /** Asks every child of one stop group to stop, then waits for each up to its grace period. */
  private void stopTogether(List<ChildProcess> batch) {
    batch.forEach(ChildProcess::requestStop);
    Instant asked = Instant.now();
    for (ChildProcess child : batch) {
      try {
        Duration grace = grace(child.component());
        if (child.awaitStop(grace)) {
          say(
              String.format(
                  Locale.ROOT,
                  "%s stopped after %.1f s",
                  child.name(),
                  Duration.between(asked, Instant.now()).toMillis() / 1000.0));
        } else {
          say(child.name() + " did not stop within " + grace.toSeconds() + " s and was killed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.handle().destroyForcibly();
      }
    }
  }

  private void deleteRunFolder() {
    try {
      Layout.deleteTree(layout.runDir());
      try (Stream<Path> left = Files.list(layout.tmpDir())) {
        if (left.findAny().isEmpty()) {
          Files.delete(layout.tmpDir());
        }
      }
    } catch (IOException e) {
      say("cannot delete " + layout.runDir() + ": " + e.getMessage());
    }
  }

  private void reportPorts() {
    List<Ports.Taken> stillTaken = Ports.taken(options.components(), options.portOffset());
    if (stillTaken.isEmpty()) {
      say("stopped; all processes exited and all ports are free");
    }
    stillTaken.forEach(
        t ->
            say("stopped, but port " + t.port() + " (" + t.component().id() + ") is still in use"));
  }

  private static Duration grace(Component component) {
    return switch (component) {
      case KAFKA -> Duration.ofSeconds(30);
      case MONGO -> Duration.ofSeconds(10);
      default -> Duration.ofSeconds(20);
    };
  }

  private void say(String message) {
    say.accept(message);
  }

  /** Thrown when a stop request arrives while the stack is still starting. */
  static final class StoppingException extends RuntimeException {
    StoppingException() {
      super("stopping", null, false, false);
    }
  }
}
