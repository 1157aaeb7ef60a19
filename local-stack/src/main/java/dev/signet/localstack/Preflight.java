package dev.signet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Everything checked and laid out before the first process starts: the data folder is not another
 * launcher's, every jar is there, every port is free; leftovers of a launcher that died are reaped
 * and the service jars are staged as copies a rebuild cannot pull away.
 */
final class Preflight {

  private final StackOptions options;
  private final Layout layout;
  private final PidFile pids;
  private final Consumer<String> say;

  Preflight(StackOptions options, Layout layout, PidFile pids, Consumer<String> say) {
    this.options = options;
    this.layout = layout;
    this.pids = pids;
    this.say = say;
  }

  /** Refuses to start into a busy data folder, a missing jar or a taken port; reaps leftovers. */
  boolean passes() {
    return dataFolderIsFree() && jarsArePresent() && portsAreFree();
  }

  private boolean dataFolderIsFree() {
    for (PidFile.Entry entry : pids.read()) {
      if (!entry.name().equals(PidFile.LAUNCHER)) {
        entry.live().ifPresent(h -> reapLeftover(entry, h));
      } else if (entry.pid() != ProcessHandle.current().pid() && entry.live().isPresent()) {
        say.accept(
            "another local stack (launcher pid "
                + entry.pid()
                + ") is running with the data folder "
                + layout.display(layout.dataDir())
                + ". Stop it first (Ctrl-C in its terminal, or kill "
                + entry.pid()
                + "), or use another --data-dir.");
        return false;
      }
    }
    return true;
  }

  private boolean jarsArePresent() {
    List<String> missing = new ArrayList<>();
    for (Component c : options.components()) {
      Path needed =
          switch (c.kind()) {
            case KAFKA -> layout.kafkaLib();
            case MONGO -> layout.mongoLib();
            case ZIPKIN -> layout.zipkinJar();
            case HTTP -> layout.jar(c);
          };
      if (!Files.exists(needed)) {
        missing.add(c.id() + ": " + layout.display(needed) + " is missing");
      }
    }
    missing.forEach(m -> say.accept("cannot start " + m));
    if (!missing.isEmpty()) {
      say.accept(
          "Build with ./run (without --no-build), or mvn -B -q -DskipTests package; "
              + "or leave components out with --only.");
    }
    return missing.isEmpty();
  }

  private boolean portsAreFree() {
    List<Ports.Taken> taken = Ports.taken(options.components(), options.portOffset());
    taken.forEach(t -> say.accept(t.message()));
    return taken.isEmpty();
  }

  private void reapLeftover(PidFile.Entry entry, ProcessHandle handle) {
    say.accept(
        "stopping leftover "
            + entry.name()
            + " (pid "
            + entry.pid()
            + ") of an earlier launcher that did not shut down");
    List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
    tree.add(handle);
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  /** Removes the last run's description and throwaway folders, and copies the service jars. */
  void prepareRunFolder() {
    try {
      Files.deleteIfExists(layout.stackFile());
      // No other launcher uses this data folder (checked above), so every throwaway run folder is
      // stale.
      Layout.deleteTree(layout.tmpDir());
      Files.createDirectories(layout.runDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stageJars();
  }

  /** Copies each HTTP component's jar into the run folder unless an identical copy is there. */
  private void stageJars() {
    for (Component c : options.components()) {
      if (c.isHttp()) {
        stage(layout.jar(c), layout.stagedJar(c));
      }
    }
  }

  private static void stage(Path source, Path target) {
    try {
      if (Files.exists(target)
          && Files.size(target) == Files.size(source)
          && Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(source))) {
        return;
      }
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.copy(
          source, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + source + " to " + target, e);
    }
  }
}
