package dev.signet.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configurations of one {@code ./bench/run} side by side: Signet's own capacity with the
 * provider limit lifted, the local stack's JIT against the production one, the first seconds after
 * ready against the steady state, CPU per challenge, and what happens above the provider limit.
 */
final class Comparison {

  private Comparison() {}

  /** Components of the stack, in the order the tables list them (not the harness, not "other"). */
  static final List<String> COMPONENTS =
      List.of("dispatcher", "kafka", "challenge", "rules", "audit", "sandbox", "mongo", "registry");

  static String markdown(List<Map<String, Object>> results) {
    StringBuilder b = new StringBuilder();
    b.append("\n### Configurations compared, run ")
        .append(results.get(0).get("timestamp"))
        .append(" UTC\n\n");
    b.append(
        "| Configuration | Sustained /s (step test) | API p99 / SMS p99 ms at it | 25/s: API p99 / SMS p99 ms"
            + " | First 20 s after ready: API p99 / SMS p99 ms (× steady) | CPU ms per challenge at"
            + " 25/s |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> r : results) {
      b.append("| ").append(r.get("configurationDescription")).append(" | ");
      Map<String, Object> best = sustainedStep(r);
      b.append(best == null ? "–" : BenchMain.fmt(num(best, "targetPerSecond"))).append(" | ");
      b.append(best == null ? "–" : pair(best)).append(" | ");
      Map<String, Object> main = scenario(r, "challenge");
      b.append(main == null ? "–" : pair(main)).append(" | ");
      Map<String, Object> first = scenario(r, "firstAfterReady");
      if (first == null || main == null) {
        b.append("–");
      } else {
        b.append(pair(first))
            .append(
                String.format(
                    Locale.ROOT,
                    " (%.1f× / %.1f×)",
                    p99(first, "latency") / p99(main, "latency"),
                    p99(first, "endToEndLatency") / p99(main, "endToEndLatency")));
      }
      b.append(" | ").append(main == null ? "–" : cpu(main)).append(" |\n");
    }
    for (Map<String, Object> r : results) {
      @SuppressWarnings("unchecked")
      Map<String, Object> over = (Map<String, Object>) r.get("overLimit");
      if (over == null) {
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "\n**Above the provider limit** (%s): at %s challenges/s against a limit of %s SMS/s"
                  + " (%s/s over it) for %s s, the SMS delay grew by **%.2f s per second of"
                  + " overload** (the queueing model says (rate − limit) / limit = %.2f); SMS p99"
                  + " %.0f ms, API p99 %.1f ms (the API does not wait for the SMS). Raise the limit"
                  + " with `SIGNET_SMS_PROVIDERRATEPERSECOND` once the provider account allows more"
                  + " (Vonage raises an account's throughput on request).\n",
              r.get("configuration"),
              BenchMain.fmt(num(over, "targetPerSecond")),
              over.get("providerLimitPerSecond"),
              BenchMain.fmt(num(over, "overloadPerSecond")),
              BenchMain.fmt(Math.round(num(over, "durationSeconds"))),
              num(over, "smsDelaySecondsPerSecondOfOverload"),
              num(over, "queueingModelSecondsPerSecond"),
              p99(over, "endToEndLatency"),
              p99(over, "latency")));
    }
    Map<String, Object> traced = byConfiguration(results, Configuration.LIFTED);
    Map<String, Object> untraced = byConfiguration(results, Configuration.LIFTED_UNTRACED);
    Map<String, Object> on = traced == null ? null : scenario(traced, "challenge");
    Map<String, Object> off = untraced == null ? null : scenario(untraced, "challenge");
    if (on != null && off != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "\n**Tracing** at the default sampling (%s) against off, at 25/s: API p99 %.1f ms"
                  + " against %.1f ms, CPU ms per challenge %s against %s.\n",
              Configuration.DEFAULT_SAMPLING,
              p99(on, "latency"),
              p99(off, "latency"),
              cpu(on),
              cpu(off)));
    }
    b.append(routing(results));
    b.append(
            "\nCPU per challenge is the CPU time of every process of the stack during the 25/s phase and"
                + " until its last SMS, divided by the challenges; the split is ")
        .append(String.join(" / ", COMPONENTS))
        .append(".\n");
    return b.toString();
  }

  /**
   * Routing on against off: the sustained rate of each, and the dispatcher's own p99 (arrival to
   * provider call, and the provider call) at 25/s and at the highest rate both sustained.
   */
  private static String routing(List<Map<String, Object>> results) {
    Map<String, Object> off = byConfiguration(results, Configuration.LIFTED);
    Map<String, Object> on = byConfiguration(results, Configuration.LIFTED_ROUTED);
    if (off == null || on == null) {
      return "";
    }
    StringBuilder b =
        new StringBuilder("\n**Routing** on (")
            .append(RoutingRules.DESCRIPTION)
            .append(") against off (every SMS through the Vonage SMS API):\n\n")
            .append(
                "| Routing | Sustained SMS/s | dispatcher p99 ms at 25/s: arrival → provider call /"
                    + " provider call | the same at the highest rate both sustained |\n")
            .append("| --- | ---: | ---: | ---: |\n");
    Map<String, Object> offBest = sustainedStep(off);
    Map<String, Object> onBest = sustainedStep(on);
    double common =
        Math.min(
            offBest == null ? 0 : num(offBest, "targetPerSecond"),
            onBest == null ? 0 : num(onBest, "targetPerSecond"));
    for (Map<String, Object> r : List.of(off, on)) {
      Map<String, Object> best = sustainedStep(r);
      b.append(r == on ? "| on | " : "| off | ")
          .append(best == null ? "–" : BenchMain.fmt(num(best, "targetPerSecond")))
          .append(" | ")
          .append(dispatcherP99(scenario(r, "challenge")))
          .append(" | ")
          .append(
              common > 0 ? BenchMain.fmt(common) + "/s: " + dispatcherP99(step(r, common)) : "–")
          .append(" |\n");
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static String dispatcherP99(Map<String, Object> phase) {
    Map<String, Object> d = phase == null ? null : (Map<String, Object>) phase.get("dispatcher");
    if (d == null) {
      return "–";
    }
    Object handoff = ((Map<String, Object>) d.get("handoff")).get("p99MsAtMost");
    Object call = ((Map<String, Object>) d.get("providerCall")).get("p99MsAtMost");
    return (handoff == null ? "–" : handoff) + " / " + (call == null ? "–" : call);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> step(Map<String, Object> r, double rate) {
    Map<String, Object> step = (Map<String, Object>) r.get("stepTest");
    if (step == null) {
      return null;
    }
    for (Map<String, Object> s : (List<Map<String, Object>>) step.get("steps")) {
      if (num(s, "targetPerSecond") == rate) {
        return s;
      }
    }
    return null;
  }

  private static Map<String, Object> byConfiguration(
      List<Map<String, Object>> results, Configuration c) {
    return results.stream()
        .filter(r -> c.id.equals(r.get("configuration")))
        .findFirst()
        .orElse(null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sustainedStep(Map<String, Object> r) {
    Map<String, Object> step = (Map<String, Object>) r.get("stepTest");
    if (step == null) {
      return null;
    }
    Map<String, Object> best = null;
    for (Map<String, Object> s : (List<Map<String, Object>>) step.get("steps")) {
      if (Boolean.TRUE.equals(s.get("passed"))) {
        best = s;
      }
    }
    return best;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> scenario(Map<String, Object> r, String name) {
    Map<String, Object> sc = (Map<String, Object>) r.get("scenarios");
    return sc == null ? null : (Map<String, Object>) sc.get(name);
  }

  private static String pair(Map<String, Object> phase) {
    return String.format(
        Locale.ROOT, "%.1f / %.0f", p99(phase, "latency"), p99(phase, "endToEndLatency"));
  }

  @SuppressWarnings("unchecked")
  private static double p99(Map<String, Object> phase, String key) {
    Map<String, Object> l = (Map<String, Object>) phase.get(key);
    return l == null ? Double.NaN : num(l, "p99Ms");
  }

  @SuppressWarnings("unchecked")
  private static String cpu(Map<String, Object> main) {
    Map<String, Object> per1000 = (Map<String, Object>) main.get("cpuSecondsPer1000Challenges");
    if (per1000 == null) {
      return "–";
    }
    double total = 0;
    StringBuilder split = new StringBuilder();
    List<String> components = new java.util.ArrayList<>(COMPONENTS);
    if (per1000.containsKey("gateway")) {
      components.add("gateway");
    }
    for (String c : components) {
      double v = per1000.get(c) instanceof Number n ? n.doubleValue() : 0;
      total += v;
      split.append(split.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", v));
    }
    return String.format(Locale.ROOT, "**%.1f** (%s)", total, split);
  }

  private static double num(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
