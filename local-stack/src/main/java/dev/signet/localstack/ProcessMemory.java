package dev.signet.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident set size from {@code /proc/<pid>/status} (Linux). */
final class ProcessMemory {

  private ProcessMemory() {}

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

  /** Parses a {@code VmRSS: 123456 kB} line. */
  static long parseKib(String line) {
    String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    return Long.parseLong(parts[0]);
  }
}
