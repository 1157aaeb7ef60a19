package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU seconds per component (stack processes, this harness, the whole machine) at one moment. */
record Resources(
    long nanoTime, Map<String, Double> cpuSeconds, double machineBusy, double machineTotal) {

  static Resources sample(LocalStack stack) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    java.util.Set<Long> counted = new java.util.HashSet<>();
    for (String c : stack.components()) {
      long pid = stack.pid(c);
      // Instances add up under their component (challenge and challenge-2 as challenge); the
      // entry points run in the launcher, counted once as gateway.
      if (pid > 0 && counted.add(pid)) {
        String component = component(stack, c);
        // The launcher's own CPU only: its process family is the whole stack.
        double seconds =
            component.equals("gateway") ? ProcStats.ownCpuSeconds(pid) : ProcStats.cpuSeconds(pid);
        cpu.merge(component, seconds, Double::sum);
      }
    }
    cpu.put("bench", ProcStats.ownCpuSeconds(ProcessHandle.current().pid()));
    double[] machine = ProcStats.machineCpuSeconds();
    return new Resources(System.nanoTime(), cpu, machine[0], machine[1]);
  }

  private static String component(LocalStack stack, String name) {
    var entry = stack.description().path("components").path(name);
    return entry.has("entryPointOf") ? "gateway" : entry.path("of").asText(name);
  }

  /**
   * What happened between two samples: CPU seconds per component, and in "other" the machine's busy
   * CPU that none of them used (other engineers' builds on this shared machine).
   */
  static Map<String, Double> cpuDelta(Resources a, Resources b) {
    Map<String, Double> d = new LinkedHashMap<>();
    double ours = 0;
    for (var e : b.cpuSeconds().entrySet()) {
      double v = e.getValue() - a.cpuSeconds().getOrDefault(e.getKey(), 0.0);
      d.put(e.getKey(), Latencies.round(v));
      ours += v;
    }
    d.put("other", Latencies.round(Math.max(0, (b.machineBusy() - a.machineBusy()) - ours)));
    d.put(
        "machineIdle",
        Latencies.round(
            (b.machineTotal() - a.machineTotal()) - (b.machineBusy() - a.machineBusy())));
    return d;
  }

  static double seconds(Resources a, Resources b) {
    return (b.nanoTime() - a.nanoTime()) / 1e9;
  }
}
