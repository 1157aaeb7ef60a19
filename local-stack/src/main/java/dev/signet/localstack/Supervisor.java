package dev.signet.localstack;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps the stack running once it is up: a component that exits on its own (a crash, an out-of-
 * memory kill, a {@code kill -9} in a failure drill) is restarted with the same command after a
 * back-off ({@link RestartPolicy}), and the launcher says so in its log, including when the
 * component is ready again. Only a component that keeps crashing stops the stack.
 */
final class Supervisor {

  private final Children children;
  private final Function<ChildProcess, ChildProcess.Readiness> awaitReady;
  private final Consumer<ChildProcess> readyAgain;
  private final Consumer<ChildProcess> exited;
  private final Consumer<String> say;
  private final Layout layout;
  private final RestartPolicy policy = new RestartPolicy();
  private final BlockingQueue<ChildProcess> exits = new LinkedBlockingQueue<>();

  /**
   * Restarts run side by side: each waits until its component is ready, and one slow start must not
   * hold back another component's (a drill restarts several at once).
   */
  private final ScheduledExecutorService restarts =
      Executors.newScheduledThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "restart");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param awaitReady blocks until a restarted component is ready (or is not)
   * @param readyAgain told of each restarted component once it is ready (its new pid)
   * @param exited told of each component that exited, before anything else is decided
   */
  Supervisor(
      Children children,
      Function<ChildProcess, ChildProcess.Readiness> awaitReady,
      Consumer<ChildProcess> readyAgain,
      Consumer<ChildProcess> exited,
      Consumer<String> say,
      Layout layout) {
    this.children = children;
    this.awaitReady = awaitReady;
    this.readyAgain = readyAgain;
    this.exited = exited;
    this.say = say;
    this.layout = layout;
  }

  /** Blocks until the stack stops (0) or a component is given up on (1). */
  int superviseUntilStopped() {
    children.running().forEach(this::watch);
    try {
      while (true) {
        ChildProcess dead = exits.take();
        if (children.isStopping()) {
          return 0;
        }
        int code = dead.process().exitValue();
        exited.accept(dead);
        if (Files.exists(layout.holdFile(dead.name()))) {
          say.accept(
              String.format(
                  Locale.ROOT,
                  "%s exited with code %d; held down: it is restarted once %s is deleted",
                  dead.name(),
                  code,
                  layout.display(layout.holdFile(dead.name()))));
          restarts.schedule(() -> restartWhenReleased(dead), 200, TimeUnit.MILLISECONDS);
          continue;
        }
        Optional<RestartPolicy.Restart> restart = policy.onExit(dead.name(), Instant.now());
        if (restart.isEmpty()) {
          say.accept(
              String.format(
                  Locale.ROOT,
                  "FAILED: %s exited with code %d after %d restarts in a row. Its log: %s."
                      + " Stopping the stack.",
                  dead.name(),
                  code,
                  RestartPolicy.MAX_IN_A_ROW,
                  layout.display(dead.launch().log())));
          return 1;
        }
        Duration delay = restart.get().delay();
        say.accept(
            String.format(
                Locale.ROOT,
                "%s exited with code %d; restarting it in %d s (restart %d of at most %d in a"
                    + " row). Its log: %s",
                dead.name(),
                code,
                delay.toSeconds(),
                restart.get().inARow(),
                RestartPolicy.MAX_IN_A_ROW,
                layout.display(dead.launch().log().resolveSibling(dead.name() + ".previous.log"))));
        restarts.schedule(() -> restart(dead), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      restarts.shutdownNow();
    }
  }

  /** Polls the hold file of a held-down process; restarts it once the file is gone. */
  private void restartWhenReleased(ChildProcess dead) {
    if (Files.exists(layout.holdFile(dead.name()))) {
      restarts.schedule(() -> restartWhenReleased(dead), 200, TimeUnit.MILLISECONDS);
    } else {
      say.accept(dead.name() + " is released; restarting it");
      restart(dead);
    }
  }

  private void watch(ChildProcess child) {
    child.process().onExit().thenRun(() -> exits.add(child));
  }

  private void restart(ChildProcess dead) {
    ChildProcess fresh;
    try {
      fresh = children.replace(dead);
    } catch (Children.StoppingException e) {
      return;
    } catch (java.io.IOException | RuntimeException e) {
      say.accept("FAILED: cannot restart " + dead.name() + ": " + e.getMessage());
      exits.add(dead);
      return;
    }
    watch(fresh);
    ChildProcess.Readiness readiness = awaitReady.apply(fresh);
    if (children.isStopping()) {
      return;
    }
    if (readiness instanceof ChildProcess.Ready ready) {
      say.accept(
          String.format(
              Locale.ROOT,
              "%s is running again: ready after %.1f s (pid %d)",
              fresh.name(),
              ready.startup().toMillis() / 1000.0,
              fresh.pid()));
      synchronized (readyAgain) {
        readyAgain.accept(fresh);
      }
    } else if (fresh.isAlive()) {
      say.accept(
          "FAILED: restarted "
              + fresh.name()
              + " "
              + ((ChildProcess.NotReady) readiness).reason()
              + "; it keeps running. Its log: "
              + layout.display(fresh.launch().log()));
    }
  }
}
