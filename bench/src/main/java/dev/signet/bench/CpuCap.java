package dev.signet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Holds one process to a fixed share of the CPU with a Linux control group (the {@code cpu}
 * controller, cgroup v1 or v2): {@code cores} of 0.5 allows half of one core's time in every 10 ms
 * period, whatever else the machine runs. The short period keeps the pauses of a throttled process
 * short (at most 10 ms minus its share), as a provider's queueing would be, rather than 100 ms
 * stalls. Needs write access to {@code /sys/fs/cgroup} (root); fails with a clear message
 * otherwise.
 */
final class CpuCap implements AutoCloseable {

  private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
  private static final Path V2 = Path.of("/sys/fs/cgroup");
  private static final long PERIOD_MICROS = 10_000;

  private final Path group;
  private final Path rootProcs;

  private CpuCap(Path group, Path rootProcs) {
    this.group = group;
    this.rootProcs = rootProcs;
  }

  /** Moves {@code pid} (all its threads) into a new group allowed {@code cores} of CPU time. */
  static CpuCap apply(long pid, double cores) {
    if (!(cores > 0)) {
      throw new IllegalArgumentException("a CPU cap must be positive: " + cores);
    }
    long quota = Math.max(1_000, Math.round(cores * PERIOD_MICROS));
    String name = "signet-bench-" + pid;
    try {
      if (Files.isRegularFile(V1.resolve("cpu.cfs_quota_us"))) {
        Path group = Files.createDirectories(V1.resolve(name));
        Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
        Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
        return new CpuCap(group, V1.resolve("cgroup.procs"));
      }
      if (Files.isRegularFile(V2.resolve("cgroup.controllers"))
          && Files.readString(V2.resolve("cgroup.controllers")).contains("cpu")) {
        Path group = Files.createDirectories(V2.resolve(name));
        Files.writeString(
            group.resolve("cpu.max"), String.format(Locale.ROOT, "%d %d", quota, PERIOD_MICROS));
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
        return new CpuCap(group, V2.resolve("cgroup.procs"));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot cap the CPU of process "
              + pid
              + " (needs write access to /sys/fs/cgroup, i.e. root): "
              + e,
          e);
    }
    throw new IllegalStateException(
        "no cgroup cpu controller at " + V1 + " or " + V2 + ": cannot cap process " + pid);
  }

  /** Moves the process back (if it still runs) and removes the group. */
  @Override
  public void close() {
    try {
      for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
        if (!pid.isBlank()) {
          Files.writeString(rootProcs, pid.trim());
        }
      }
      Files.deleteIfExists(group);
    } catch (IOException e) {
      System.err.println("bench: could not remove the control group " + group + ": " + e);
    }
  }
}
