package dev.signet.bench.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One component's profile over one measured window: its CPU from {@code /proc} (whole process and
 * per thread group) combined with its JFR recording, written as Markdown and JSON.
 */
public record ComponentProfile(
    String component,
    double cpuSeconds,
    double systemSeconds,
    long challenges,
    Map<String, Double> threadCpu,
    JfrSummary jfr) {

  /** JVM-internal threads (names as {@link ThreadGroups} leaves them): not in the samples. */
  private static final Pattern VM_THREADS =
      Pattern.compile(
          "(VM Thread|GC Thread|G1 |CN CompilerThre|VM Periodic Tas|Service Thread|Sweeper thread"
              + "|JFR |Monitor Deflation|Common-Cleaner|Signal Dispatcher|Finalizer|Reference Handl"
              + "|Notification Thr|Attach Listener).*");

  public double msPerChallenge() {
    return challenges == 0 ? Double.NaN : cpuSeconds * 1000.0 / challenges;
  }

  /** CPU of the threads JFR samples (everything but the VM's own threads). */
  public double javaThreadSeconds() {
    return threadCpu.entrySet().stream()
        .filter(e -> !VM_THREADS.matcher(e.getKey()).matches())
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** Each cause's share of the samples, times the Java threads' CPU, per challenge. */
  public Map<String, Double> causeMsPerChallenge() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (jfr.executionSamples == 0 || challenges == 0) {
      return out;
    }
    double javaMs = javaThreadSeconds() * 1000.0 / challenges;
    JfrSummary.top(jfr.causeSamples, 100)
        .forEach((cause, n) -> out.put(cause, round(javaMs * n / jfr.executionSamples)));
    return out;
  }

  /** The VM's own threads, grouped: GC, JIT, JFR, other. */
  public Map<String, Double> vmMsPerChallenge() {
    Map<String, Double> out = new LinkedHashMap<>();
    threadCpu.forEach(
        (name, s) -> {
          if (!VM_THREADS.matcher(name).matches() || challenges == 0) {
            return;
          }
          String group =
              name.startsWith("CN Compiler")
                  ? "JIT compiler"
                  : name.startsWith("VM Thread") || name.startsWith("GC") || name.startsWith("G1")
                      ? "GC + safepoints (VM Thread)"
                      : name.startsWith("JFR") ? "JFR itself" : "other VM threads";
          out.merge(group, round(s * 1000.0 / challenges), (a, b) -> round(a + b));
        });
    return out;
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(component).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "CPU %.2f s (%.0f %% in the kernel) for %d challenges: **%.2f ms per challenge**."
                + " Execution samples: %d."
                + " GC: %d collections, %d ms of pauses. Allocation (sampled estimate): %.1f MB,"
                + " %.1f KB per challenge.%n%n",
            cpuSeconds,
            cpuSeconds == 0 ? 0 : 100 * systemSeconds / cpuSeconds,
            challenges,
            msPerChallenge(),
            jfr.executionSamples,
            jfr.gcCount,
            jfr.gcPause.toMillis(),
            jfr.allocationTotalBytes / 1e6,
            challenges == 0 ? 0 : jfr.allocationTotalBytes / 1e3 / challenges));
    md.append("## Causes (share of execution samples x CPU of the sampled threads)\n\n");
    md.append("| cause | samples | % | ms/challenge |\n| --- | ---: | ---: | ---: |\n");
    Map<String, Double> ms = causeMsPerChallenge();
    JfrSummary.top(jfr.causeSamples, 100)
        .forEach((cause, n) -> row(md, cause, n, jfr.executionSamples, ms.get(cause)));
    md.append("\nVM threads (not sampled), ms per challenge: ")
        .append(vmMsPerChallenge())
        .append("\n\n");
    md.append(
        "## Thread CPU (from /proc)\n\n| thread group | CPU s | ms/challenge |\n| --- | ---: | ---: |\n");
    threadCpu.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(25)
        .forEach(
            e ->
                md.append(
                    String.format(
                        Locale.ROOT,
                        "| `%s` | %.2f | %.3f |%n",
                        e.getKey(),
                        e.getValue(),
                        challenges == 0 ? 0 : e.getValue() * 1000 / challenges)));
    methods(md, "Top 25 methods by self time", JfrSummary.top(jfr.selfSamples, 25));
    methods(md, "Top 25 methods by total time", JfrSummary.top(jfr.totalSamples, 25));
    md.append(
        "\n## Allocation, top 15 classes (sampled weight)\n\n| class | MB | % |\n| --- | ---: | ---: |\n");
    JfrSummary.top(jfr.allocationBytes, 15)
        .forEach(
            (cls, b) ->
                md.append(
                    String.format(
                        Locale.ROOT,
                        "| `%s` | %.1f | %.1f |%n",
                        cls,
                        b / 1e6,
                        jfr.allocationTotalBytes == 0 ? 0 : 100.0 * b / jfr.allocationTotalBytes)));
    md.append("\nFlame graph: [")
        .append(component)
        .append(".svg](")
        .append(component)
        .append(".svg)\n");
    return md.toString();
  }

  private void methods(StringBuilder md, String title, Map<String, Long> top) {
    md.append("\n## ")
        .append(title)
        .append("\n\n| method | samples | % |\n| --- | ---: | ---: |\n");
    top.forEach((m, n) -> row(md, "`" + m + "`", n, jfr.executionSamples, null));
  }

  private static void row(StringBuilder md, String name, long n, long total, Double ms) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %.1f |%s%n",
            name,
            n,
            total == 0 ? 0 : 100.0 * n / total,
            ms == null ? "" : String.format(Locale.ROOT, " %.3f |", ms)));
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuSeconds", round(cpuSeconds));
    m.put("msPerChallenge", round(msPerChallenge()));
    m.put("kernelShare", cpuSeconds == 0 ? 0 : round(systemSeconds / cpuSeconds));
    m.put("executionSamples", jfr.executionSamples);
    m.put("causesMsPerChallenge", causeMsPerChallenge());
    m.put("vmThreadsMsPerChallenge", vmMsPerChallenge());
    m.put("jitMsPerChallenge", vmMsPerChallenge().getOrDefault("JIT compiler", 0.0));
    m.put("gcCount", jfr.gcCount);
    m.put("gcPauseMillis", jfr.gcPause.toMillis());
    m.put(
        "allocatedBytesPerChallenge", challenges == 0 ? 0 : jfr.allocationTotalBytes / challenges);
    m.put("topSelf", JfrSummary.top(jfr.selfSamples, 25));
    m.put("topTotal", JfrSummary.top(jfr.totalSamples, 25));
    m.put("topAllocation", JfrSummary.top(jfr.allocationBytes, 15));
    return m;
  }

  /** The top {@code n} causes as "cause 1.23" for the summary table. */
  public String topCauses(int n) {
    List<String> parts =
        causeMsPerChallenge().entrySet().stream()
            .limit(n)
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
            .toList();
    return String.join("; ", parts);
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
