package dev.signet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code <data>/stack.pids} lists the launcher and every child it started, each with its start time
 * so that a recycled pid is never mistaken for ours. It lets a new launcher refuse to share a data
 * folder with a running one, and stop the children of a launcher that was killed without a chance
 * to clean up (kill -9).
 */
final class PidFile {

  /** One line: {@code <name> <pid> <start epoch millis>}. */
  record Entry(String name, long pid, long startMillis) {

    static Entry of(String name, ProcessHandle handle) {
      return new Entry(
          name, handle.pid(), handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** The live process this entry names, if it still runs (same pid and same start time). */
    Optional<ProcessHandle> live() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> !ProcFs.isZombie(h.pid()))
          .filter(
              h ->
                  startMillis == 0
                      || h.info().startInstant().map(Instant::toEpochMilli).orElse(0L)
                          == startMillis);
    }

    String line() {
      return name + " " + pid + " " + startMillis;
    }
  }

  static final String LAUNCHER = "launcher";

  private final Path file;

  PidFile(Path file) {
    this.file = file;
  }

  List<Entry> read() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Entry> entries = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 3) {
          entries.add(new Entry(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        }
      }
      return entries;
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
  }

  /** Starts a new file with the current launcher. */
  void begin(ProcessHandle launcher) {
    write(List.of(Entry.of(LAUNCHER, launcher)), false);
  }

  synchronized void add(String name, ProcessHandle child) {
    write(List.of(Entry.of(name, child)), true);
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(List<Entry> entries, boolean append) {
    StringBuilder b = new StringBuilder();
    entries.forEach(e -> b.append(e.line()).append('\n'));
    try {
      Files.writeString(
          file,
          b,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
