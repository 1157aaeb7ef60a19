package dev.signet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack under test: either started here with the README's launcher ({@code ./run
 * --no-build --in-memory --port-offset N --quiet --data-dir DIR}) and stopped at the end, or an
 * already running one described by its {@code stack.json}.
 */
final class Stack implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JsonNode description;
  private final Process launcher;
  private final double launchSeconds;

  private Stack(JsonNode description, Process launcher, double launchSeconds) {
    this.description = description;
    this.launcher = launcher;
    this.launchSeconds = launchSeconds;
  }

  static Stack attach(Path dataDir) {
    Path file = dataDir.resolve("stack.json");
    if (!Files.exists(file)) {
      throw new IllegalStateException("no stack.json in " + dataDir + ": is the stack up?");
    }
    return new Stack(read(file), null, Double.NaN);
  }

  static Stack start(
      Path root, Path dataDir, int portOffset, Duration timeout, Map<String, String> env) {
    return start(root, dataDir, portOffset, timeout, env, List.of());
  }

  /**
   * JVM settings of the component benchmarks ({@code ./bench/dispatcher}, {@code TrackBench}): the
   * services get a 512 MiB heap, all of it from the start, as the production image sizes its heap
   * from the container's memory ({@code InitialRAMPercentage}); the local stack's small, growing
   * heaps ({@code -Xms32m -Xmx256m}) collect several times a second under load. The MongoDB-wire
   * server, which keeps the whole in-memory store on its heap, starts at 768 MiB. The JIT stays C1
   * as in the local stack (C2's compilation takes minutes of both cores here).
   */
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

  /** As above, with more {@code ./run} options (e.g. {@code --only kafka,mongo}). */
  static Stack start(
      Path root,
      Path dataDir,
      int portOffset,
      Duration timeout,
      Map<String, String> env,
      List<String> runOptions) {
    Path stackJson = dataDir.resolve("stack.json");
    Path log = dataDir.resolve("launcher.log");
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(stackJson);
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  root.resolve("run").toString(),
                  "--no-build",
                  "--in-memory",
                  "--port-offset",
                  Integer.toString(portOffset),
                  "--quiet",
                  "--data-dir",
                  dataDir.toString()));
      command.addAll(runOptions);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(GUARDS_OFF);
      builder.environment().putAll(env);
      long started = System.nanoTime();
      Process process = builder.start();
      long deadline = started + timeout.toNanos();
      while (!Files.exists(stackJson)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the local stack exited with " + process.exitValue() + "; see " + log);
        }
        if (System.nanoTime() - deadline > 0) {
          process.destroy();
          throw new IllegalStateException("the local stack was not healthy in time; see " + log);
        }
        process.waitFor(250, TimeUnit.MILLISECONDS);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new Stack(read(stackJson), process, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean startedHere() {
    return launcher != null;
  }

  double launchSeconds() {
    return launchSeconds;
  }

  /**
   * Kafka client settings of the admin super user (SASL/SCRAM, from stack.json): the bench creates
   * its own topics, reads every topic's offsets and writes events as a test harness would.
   */
  Map<String, Object> kafkaAdminClient() {
    JsonNode kafka = description.path("kafka");
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafkaBootstrap());
    config.put("security.protocol", kafka.path("securityProtocol").asText("PLAINTEXT"));
    config.put("sasl.mechanism", kafka.path("saslMechanism").asText("SCRAM-SHA-512"));
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
            + " password=\""
            + kafka.path("principals").path("admin").asText()
            + "\";");
    return config;
  }

  /** The registry's writer credential, {@code user:password}. */
  String registryWriterUserInfo() {
    JsonNode writer = description.path("schemaRegistryWriter");
    return writer.path("username").asText() + ":" + writer.path("password").asText();
  }

  String apiSecret() {
    return description.path("apiSecret").asText();
  }

  String managementSecret() {
    return description.path("managementSecret").asText();
  }

  boolean has(String component) {
    return !description.path("components").path(component).isMissingNode();
  }

  String url(String component) {
    String url = description.path("components").path(component).path("url").asText("");
    if (url.isEmpty()) {
      throw new IllegalStateException("stack.json has no URL for " + component);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  long pid(String component) {
    return description.path("components").path(component).path("pid").asLong(-1);
  }

  List<String> components() {
    List<String> names = new ArrayList<>();
    description.path("components").propertyNames().forEach(names::add);
    return names;
  }

  /** Each component's start-up time as the launcher measured it, and the whole stack's. */
  Map<String, Long> startupMillis() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String c : components()) {
      m.put(c, description.path("components").path(c).path("startupMillis").asLong(-1));
    }
    m.put("stack", description.path("startupMillis").asLong(-1));
    return m;
  }

  String kafkaBootstrap() {
    return url("kafka");
  }

  String mongoUri() {
    return url("mongo");
  }

  @Override
  public void close() {
    if (launcher == null || !launcher.isAlive()) {
      return;
    }
    List<ProcessHandle> children = launcher.descendants().toList();
    launcher.destroy();
    try {
      if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
