package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack as the benchmarks run it: started with the shared launcher ({@link LocalStack})
 * with the send guards off and its log in the data directory ({@code launcher.log}), or an already
 * running one described by its {@code stack.json}.
 */
final class BenchStack {

  private BenchStack() {}

  /**
   * A load test sends thousands of codes to consecutive numbers of one range from one client: to
   * the send guards it is SMS pumping, which they are on by default to stop. The benchmarks measure
   * the send path, so their stacks switch the guards off (an operator's setting, never a default).
   */
  static final Map<String, String> GUARDS_OFF =
      Map.ofEntries(
          Map.entry("SIGNET_RULES_SENDPOLICY_PERNUMBER_MAXCOUNT", "0"),
          Map.entry("SIGNET_RULES_SENDPOLICY_PERPREFIX_MAXCOUNT", "0"),
          Map.entry("SIGNET_RULES_SENDPOLICY_PERCOUNTRY_MAXCOUNT", "0"),
          Map.entry("SIGNET_RULES_SENDPOLICY_DAILYGLOBALBUDGET", "0"),
          Map.entry("SIGNET_SMS_GUARD_PERNUMBER_MAXCOUNT", "0"),
          Map.entry("SIGNET_SMS_GUARD_PERPREFIX_MAXCOUNT", "0"),
          Map.entry("SIGNET_SMS_GUARD_PERCOUNTRY_MAXCOUNT", "0"),
          Map.entry("SIGNET_SMS_GUARD_DAILYBUDGET", "0"),
          Map.entry("SIGNET_CHALLENGE_LIMITS_SENDSPERIP", "0"),
          Map.entry("SIGNET_CHALLENGE_LIMITS_NEWNUMBERS_PERUSER", "0"),
          Map.entry("SIGNET_CHALLENGE_LIMITS_NEWNUMBERS_PERACTION", "0"));

  static LocalStack attach(Path dataDir) {
    return LocalStack.attach(dataDir);
  }

  static LocalStack start(
      Path root, Path dataDir, int portOffset, Duration timeout, Map<String, String> env) {
    return start(root, dataDir, portOffset, timeout, env, List.of());
  }

  /** As above, with more {@code ./run} options (e.g. {@code --only kafka,mongo}). */
  static LocalStack start(
      Path root,
      Path dataDir,
      int portOffset,
      Duration timeout,
      Map<String, String> env,
      List<String> runOptions) {
    Map<String, String> environment = new LinkedHashMap<>(GUARDS_OFF);
    environment.putAll(env);
    return LocalStack.start(
        new LocalStack.Launch(
            root,
            dataDir,
            portOffset,
            dataDir.resolve("launcher.log"),
            environment,
            runOptions,
            timeout));
  }

  /**
   * JVM settings of the component benchmarks ({@code ./bench/dispatcher}, {@code TrackBench}): the
   * services get a 512 MiB heap, all of it from the start, as the production image sizes its heap
   * from the container's memory ({@code InitialRAMPercentage}); the local stack's small, growing
   * heaps ({@code -Xms32m -Xmx256m}) collect several times a second under load. The MongoDB-wire
   * server, which keeps the whole in-memory store on its heap, starts at 768 MiB. The JIT stays C1
   * as in the local stack (C2's compilation takes minutes of both cores here).
   */
  static Map<String, String> benchJvm() {
    return Map.of(
        "SIGNET_STACK_JAVA_OPTS", "-Xms512m -Xmx512m",
        "SIGNET_STACK_MONGO_JAVA_OPTS", "-Xms768m");
  }

  /**
   * As {@link #benchJvm()}; with {@code productionJit} the services and the MongoDB-wire server run
   * the JVM's default tiered compilation (C1, then C2), as the production image does, instead of
   * the local stack's C1 only.
   */
  static Map<String, String> benchJvm(boolean productionJit) {
    if (!productionJit) {
      return benchJvm();
    }
    String c2 = " -XX:TieredStopAtLevel=4 -XX:ReservedCodeCacheSize=240m";
    Map<String, String> env = new LinkedHashMap<>();
    benchJvm().forEach((name, value) -> env.put(name, value + c2));
    return env;
  }
}
