package dev.signet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** CPU time and peak memory of a process and its descendants, read from Linux {@code /proc}. */
final class ProcStats {

  /** USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every mainstream Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** utime + stime in seconds of the process and every live descendant; NaN when unreadable. */
  static double cpuSeconds(long pid) {
    return family(pid).mapToDouble(ProcStats::ownCpuSeconds).filter(v -> !Double.isNaN(v)).sum();
  }

  /** VmHWM (peak resident set) in KiB, summed over the process and its live descendants. */
  static long peakRssKib(long pid) {
    return family(pid).mapToLong(p -> statusKib(p, "VmHWM:")).filter(v -> v >= 0).sum();
  }

  static long ownPeakRssKib(long pid) {
    return statusKib(pid, "VmHWM:");
  }

  static long rssKib(long pid) {
    return family(pid).mapToLong(p -> statusKib(p, "VmRSS:")).filter(v -> v >= 0).sum();
  }

  /** Busy and total CPU seconds of the whole machine since boot (all cores), from /proc/stat. */
  static double[] machineCpuSeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }

  /** Parses utime and stime from a /proc/[pid]/stat line (fields 14 and 15). */
  static double parseStatCpuSeconds(String stat) {
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = rest.trim().split("\\s+");
    // rest starts at field 3 (state), so field 14 is index 11 and field 15 index 12.
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  private static Stream<Long> family(long pid) {
    return ProcessHandle.of(pid)
        .map(h -> Stream.concat(Stream.of(pid), h.descendants().map(ProcessHandle::pid)))
        .orElseGet(Stream::empty);
  }

  /** utime + stime of this process alone (the harness: its descendants are the stack). */
  static double ownCpuSeconds(long pid) {
    try {
      return parseStatCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static long statusKib(long pid, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
