package dev.signet.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the launcher reads from {@code /proc} (Linux): resident memory and zombie state. */
final class ProcFs {

  private ProcFs() {}

  /** VmRSS in KiB, or -1 when the process is gone or /proc is not available. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return parseKib(line);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * True for a process that has exited but was not reaped yet (state Z); the JDK still reports it
   * alive. A launcher killed with SIGKILL lingers like this until its parent collects it.
   */
  static boolean isZombie(long pid) {
    try {
      return stateOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The state letter of a {@code /proc/<pid>/stat} line: the first field after "(comm)". */
  static char stateOf(String stat) {
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /** Parses a {@code VmRSS: 123456 kB} line. */
  static long parseKib(String line) {
    String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    return Long.parseLong(parts[0]);
  }
}
