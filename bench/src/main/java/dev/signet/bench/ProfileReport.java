package dev.signet.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Markdown of {@code ./bench/profile}: one page per window and a summary of all windows. */
final class ProfileReport {

  private ProfileReport() {}

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> summary) {
    StringBuilder md = new StringBuilder("# Whole-path profile ").append(summary.get("timestamp"));
    md.append("\n\n")
        .append("Git: `")
        .append(((Map<String, Object>) summary.get("git")).get("describe"))
        .append("`. JIT: ")
        .append(summary.get("jit"))
        .append(". Machine: ")
        .append(Machine.oneLine())
        .append(". Took ")
        .append(summary.get("elapsedSeconds"))
        .append(" s.\n\n");
    for (Map<String, Object> w : (List<Map<String, Object>>) summary.get("windows")) {
      md.append(window(w)).append("\n");
    }
    return md.toString();
  }

  @SuppressWarnings("unchecked")
  static String window(Map<String, Object> w) {
    String rate = BenchMain.fmt((Double) w.get("rate"));
    Map<String, Object> load = (Map<String, Object>) w.get("load");
    Map<String, Object> cpu = (Map<String, Object>) w.get("cpuSeconds");
    Map<String, Object> components = (Map<String, Object>) w.get("components");
    long n = ((Number) load.get("challengesIssued")).longValue();
    StringBuilder md = new StringBuilder("## ").append(rate).append(" challenges/s\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d challenges issued, %s SMS arrived (requests: %s), achieved %s/s; API p50 %s ms, p99 %s ms; SMS p50 %s ms, p99 %s ms;"
                + " all SMS arrived: %s.%n%nBefore: `%s`. After: `%s`. CPU is counted from the"
                + " first request until the last SMS arrived; the other JVMs on this shared"
                + " machine make absolute figures noisy: compare shares.%n%n",
            n,
            load.get("smsDelivered"),
            load.get("outcomes"),
            load.get("achievedPerSecond"),
            load.get("apiP50Ms"),
            load.get("apiP99Ms"),
            load.get("smsP50Ms"),
            load.get("smsP99Ms"),
            load.get("smsDrained"),
            w.get("uptimeBefore"),
            w.get("uptimeAfter")));
    md.append(
        "| component | CPU s | ms/challenge | of which JIT | kernel | top causes (ms/challenge) | profile |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
    double total = 0;
    for (var e : components.entrySet()) {
      double s = ((Number) cpu.get(e.getKey())).doubleValue();
      total += s;
      Map<String, Object> c = (Map<String, Object>) e.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.2f | %s | %s | %s | [md](%s-per-s/%s.md), [svg](%s-per-s/%s.svg) |%n",
              e.getKey(),
              s,
              n == 0 ? 0 : s * 1000 / n,
              c.getOrDefault("jitMsPerChallenge", "?"),
              c.containsKey("kernelShare")
                  ? Math.round(((Number) c.get("kernelShare")).doubleValue() * 100) + " %"
                  : "?",
              c.getOrDefault("topCauses", c.get("error")),
              rate,
              e.getKey(),
              rate,
              e.getKey()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| **total** | %.2f | **%.2f** | | | harness %s s, other processes %s s | |%n%n",
            total,
            n == 0 ? 0 : total * 1000 / n,
            cpu.get("bench"),
            cpu.get("other")));
    md.append(
        String.format(
            Locale.ROOT,
            "Quiet (no receipt pending, no consumer lag) %s s before and %s s after the load."
                + " Sandbox delivery receipts in the window: `%s`.%n%n",
            w.get("quietBeforeSeconds"),
            w.get("quietAfterSeconds"),
            w.get("sandboxReceipts")));
    md.append("Kafka records per challenge: `")
        .append(w.get("kafkaRecordsPerChallenge"))
        .append("`\n\n");
    md.append("MongoDB commands per challenge (driver counts, per service):\n\n");
    ((Map<String, Object>) w.get("mongoCommandsPerChallenge"))
        .forEach((s, m) -> md.append("- ").append(s).append(": `").append(m).append("`\n"));
    md.append("\nKafka client requests and log events per challenge (per service):\n\n");
    ((Map<String, Object>) w.get("countersPerChallenge"))
        .forEach((s, m) -> md.append("- ").append(s).append(": `").append(m).append("`\n"));
    md.append("\nLog lines per challenge (log files): `")
        .append(w.get("logLinesPerChallenge"))
        .append("`\n");
    return md.toString();
  }
}
