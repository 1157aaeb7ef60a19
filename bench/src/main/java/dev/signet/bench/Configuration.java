package dev.signet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One way of running the stack that {@code ./bench/run} measures; a run measures each configuration
 * it is given on a stack of its own, one after the other, on the same machine.
 *
 * <ul>
 *   <li>{@code provider-limit}: as shipped, the dispatcher holding the provider to its configured
 *       rate ({@value #SHIPPED_LIMIT} SMS/s, Vonage's default account throughput): what a user gets
 *       without raising it, and what happens above it.
 *   <li>{@code lifted}: the provider limit lifted, so the figures are Signet's own capacity; the
 *       services run as {@code ./run} starts them (small heaps, C1 only).
 *   <li>{@code lifted-production-jit}: the same with the production image's JIT (C1 then C2) and
 *       heaps, after a warm-up long enough for C2 to compile the request path.
 *   <li>{@code lifted-untraced}: {@code lifted} with tracing off, for what tracing at the default
 *       sampling costs.
 *   <li>{@code lifted-routed}: {@code lifted} with routing rules published before the load ({@link
 *       RoutingRules#BENCH}: every SMS drawn between the Vonage SMS API and Twilio, half each, each
 *       the other's fallback), for what routing costs the dispatcher.
 * </ul>
 *
 * <p>Every configuration but {@code lifted-untraced} traces at the production default sampling.
 */
enum Configuration {
  PROVIDER_LIMIT("provider-limit", false, false, true, false),
  LIFTED("lifted", true, false, true, false),
  LIFTED_PRODUCTION_JIT("lifted-production-jit", true, true, true, false),
  LIFTED_UNTRACED("lifted-untraced", true, false, false, false),
  LIFTED_ROUTED("lifted-routed", true, false, true, true);

  /**
   * {@code signet.sms.provider-rate-per-second}'s default (sms-dispatcher's DispatcherProperties).
   */
  static final int SHIPPED_LIMIT = 30;

  /** High enough that the provider limit never binds on this machine. */
  static final int LIFTED_LIMIT = 100_000;

  /** The production default of {@code SIGNET_TRACING_SAMPLING} (the local stack records all). */
  static final String DEFAULT_SAMPLING = "0.1";

  /** What {@code ./bench/run} measures without {@code --configurations}. */
  static final List<Configuration> ALL =
      List.of(PROVIDER_LIMIT, LIFTED, LIFTED_PRODUCTION_JIT, LIFTED_UNTRACED);

  final String id;
  final boolean lifted;
  final boolean productionJit;
  final boolean traced;
  final boolean routed;

  Configuration(String id, boolean lifted, boolean productionJit, boolean traced, boolean routed) {
    this.id = id;
    this.lifted = lifted;
    this.productionJit = productionJit;
    this.traced = traced;
    this.routed = routed;
  }

  /** The dispatcher's provider limit in this configuration, SMS/s. */
  int providerLimit() {
    return lifted ? LIFTED_LIMIT : SHIPPED_LIMIT;
  }

  /** What the stack of this configuration is started with, on top of the benchmarks' own. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SIGNET_SMS_PROVIDERRATEPERSECOND", Integer.toString(providerLimit()));
    // Twilio's account limit too, so that a routed run is held back by neither provider.
    env.put("SIGNET_SMS_TWILIO_RATEPERSECOND", Integer.toString(providerLimit()));
    env.put("SIGNET_TRACING_SAMPLING", traced ? DEFAULT_SAMPLING : "0");
    if (productionJit) {
      env.putAll(BenchStack.benchJvm(true));
    }
    return env;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%s: provider limit %s, %s, %s%s",
        id,
        lifted ? "lifted" : SHIPPED_LIMIT + " SMS/s (as shipped)",
        productionJit
            ? "production JIT (C1 then C2, 512 MiB heaps, as the container image runs)"
            : "the local stack's JIT (C1 only, heaps as ./run starts them)",
        traced
            ? "tracing at the default sampling (" + DEFAULT_SAMPLING + ")"
            : "tracing off (sampling 0)",
        routed ? ", routing rules: " + RoutingRules.DESCRIPTION : "");
  }

  static Configuration of(String id) {
    for (Configuration c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown configuration " + id + " (one of " + ids(List.of(values())) + ")");
  }

  static List<Configuration> list(String csv) {
    List<Configuration> list = new ArrayList<>();
    for (String id : csv.split(",")) {
      if (!id.isBlank()) {
        list.add(of(id.trim()));
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("--configurations needs at least one");
    }
    return List.copyOf(list);
  }

  static String ids(List<Configuration> list) {
    return String.join(",", list.stream().map(c -> c.id).toList());
  }
}
