package dev.signet.bench.profile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU seconds of every thread of a process, read from {@code /proc/<pid>/task/<tid>/stat}: the
 * ground truth for GC, JIT and threads JFR cannot sample (native code, the VM's own threads).
 */
public final class ThreadCpu {

  private static final double TICKS_PER_SECOND = 100.0;

  /** Per tid: the kernel's name, CPU seconds (user + system) and the system (kernel) part. */
  public record Sample(
      Map<Long, String> names, Map<Long, Double> seconds, Map<Long, Double> systemSeconds) {}

  private ThreadCpu() {}

  public static Sample sample(long pid) {
    Map<Long, String> names = new HashMap<>();
    Map<Long, Double> seconds = new HashMap<>();
    Map<Long, Double> system = new HashMap<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          long tid = Long.parseLong(task.getFileName().toString());
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
          names.put(tid, comm);
          seconds.put(tid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND);
          system.put(tid, Long.parseLong(f[12]) / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException e) {
      // process gone: empty sample
    }
    return new Sample(names, seconds, system);
  }

  /** System (kernel) CPU seconds of all threads between two samples: syscalls, mostly I/O. */
  public static double systemDelta(Sample before, Sample after) {
    double sum = 0;
    for (var e : after.systemSeconds().entrySet()) {
      sum += Math.max(0, e.getValue() - before.systemSeconds().getOrDefault(e.getKey(), 0.0));
    }
    return sum;
  }

  /**
   * CPU seconds per thread group between two samples; names from {@code javaNames} (tid to Java
   * thread name, from the recording) where known, else the kernel's 15-character name.
   */
  public static Map<String, Double> delta(
      Sample before, Sample after, Map<Long, String> javaNames) {
    Map<String, Double> groups = new HashMap<>();
    after
        .seconds()
        .forEach(
            (tid, s) -> {
              double d = s - before.seconds().getOrDefault(tid, 0.0);
              if (d > 0) {
                String name = javaNames.getOrDefault(tid, after.names().get(tid));
                groups.merge(ThreadGroups.normalise(name), d, Double::sum);
              }
            });
    return groups;
  }
}
