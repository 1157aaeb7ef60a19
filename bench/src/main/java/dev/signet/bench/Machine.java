package dev.signet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine and the code a result belongs to. */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpuModel", cpuModel());
    m.put("memoryGiB", Latencies.round(memTotalKib() / 1024.0 / 1024.0));
    m.put("os", osName());
    m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    m.put("javaVendor", System.getProperty("java.vendor"));
    m.put("shared", "other engineers build and test on this machine at the same time");
    return m;
  }

  static String oneLine() {
    Map<String, Object> m = describe();
    return String.format(
        Locale.ROOT,
        "%s cores (%s), %s GiB RAM, %s, %s",
        m.get("cores"),
        m.get("cpuModel"),
        m.get("memoryGiB"),
        m.get("os"),
        m.get("java"));
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static Map<String, Object> git(Path root) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revision", command(root, "git", "rev-parse", "HEAD"));
    m.put("describe", command(root, "git", "describe", "--always", "--dirty"));
    m.put("subject", command(root, "git", "log", "-1", "--format=%s"));
    return m;
  }

  private static String command(Path dir, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String l : lines) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }

  private static long memTotalKib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1;
  }

  private static String osName() {
    try {
      for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (l.startsWith("PRETTY_NAME=")) {
          return l.substring(12).replace("\"", "") + ", kernel " + System.getProperty("os.version");
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return System.getProperty("os.name") + " " + System.getProperty("os.version");
  }
}
