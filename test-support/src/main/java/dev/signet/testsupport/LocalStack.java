package dev.signet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack as the README runs it ({@code ./run --no-build --in-memory --port-offset N
 * --quiet --data-dir DIR}), for the end-to-end tests and the benchmarks: either started here and
 * stopped by {@link #close()}, or an already running one. Everything else is read from the {@code
 * stack.json} the launcher writes, in one move, once every component is healthy: URLs, secrets and
 * the Kafka identities.
 */
public final class LocalStack implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

  private final JsonNode description;
  private final Path dataDir;
  private final Process launcher;
  private final double launchSeconds;

  private LocalStack(JsonNode description, Path dataDir, Process launcher, double launchSeconds) {
    this.description = description;
    this.dataDir = dataDir;
    this.launcher = launcher;
    this.launchSeconds = launchSeconds;
  }

  /**
   * How to start a stack: the repository it runs from, its data directory, port offset and launcher
   * log, variables added to the launcher's environment (it passes them to every component it
   * starts), more {@code ./run} options (e.g. {@code --only kafka,mongo}) and how long it may take
   * to become healthy.
   */
  public record Launch(
      Path root,
      Path dataDir,
      int portOffset,
      Path log,
      Map<String, String> environment,
      List<String> runOptions,
      Duration timeout) {

    public Launch {
      environment = Map.copyOf(environment);
      runOptions = List.copyOf(runOptions);
    }

    List<String> command() {
      List<String> command =
          new ArrayList<>(
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
      return command;
    }
  }

  /**
   * The checkout this code runs in: the nearest directory up from here with the {@code run} script.
   */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("run"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (the 'run' script)");
    }
    return dir;
  }

  /** The stack described by {@code dataDir/stack.json}, started elsewhere; not stopped here. */
  public static LocalStack attach(Path dataDir) {
    Path file = dataDir.resolve("stack.json");
    if (!Files.exists(file)) {
      throw new IllegalStateException("no stack.json in " + dataDir + ": is the stack up?");
    }
    return new LocalStack(read(file), dataDir, null, Double.NaN);
  }

  /**
   * Starts the launcher and waits for its {@code stack.json}; a launcher that exits or is not
   * healthy in time fails the start (and is stopped), its log named in the message.
   */
  public static LocalStack start(Launch launch) {
    Path stackJson = launch.dataDir().resolve("stack.json");
    try {
      Files.createDirectories(launch.dataDir());
      Files.deleteIfExists(stackJson);
      ProcessBuilder builder =
          new ProcessBuilder(launch.command())
              .directory(launch.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(launch.log().toFile());
      builder.environment().putAll(launch.environment());
      long started = System.nanoTime();
      Process process = builder.start();
      long deadline = started + launch.timeout().toNanos();
      while (!Files.exists(stackJson)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the local stack exited with " + process.exitValue() + "; see " + launch.log());
        }
        if (System.nanoTime() - deadline > 0) {
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
          throw new IllegalStateException(
              "the local stack was not healthy in time; see " + launch.log());
        }
        process.waitFor(250, TimeUnit.MILLISECONDS);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new LocalStack(read(stackJson), launch.dataDir(), process, seconds);
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

  /** Stops a stack started here: the launcher stops every component it started. */
  @Override
  public void close() {
    if (launcher == null || !launcher.isAlive()) {
      return;
    }
    List<ProcessHandle> children = launcher.descendants().toList();
    launcher.destroy();
    try {
      if (!launcher.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  public boolean startedHere() {
    return launcher != null;
  }

  /** The launcher process of a stack started here (null when attached). */
  public Process launcher() {
    return launcher;
  }

  /** Seconds from the launcher's start to a healthy stack (NaN when attached). */
  public double launchSeconds() {
    return launchSeconds;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The parsed {@code stack.json}. */
  public JsonNode description() {
    return description;
  }

  /** The secrets the launcher generated ({@code secrets.properties}, as environment variables). */
  public Properties secrets() {
    Properties secrets = new Properties();
    try (InputStream in = Files.newInputStream(dataDir.resolve("secrets.properties"))) {
      secrets.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return secrets;
  }

  public String apiSecret() {
    return description.path("apiSecret").asText();
  }

  public String managementSecret() {
    return description.path("managementSecret").asText();
  }

  /** The dashboard account the launcher generated. */
  public String dashboardOperator() {
    return description.path("dashboardOperator").asText();
  }

  public String dashboardPassword() {
    return description.path("dashboardPassword").asText();
  }

  public boolean has(String component) {
    return !description.path("components").path(component).isMissingNode();
  }

  /**
   * A component's base URL by its name in stack.json (e.g. {@code challenge}), no trailing slash.
   */
  public String url(String component) {
    String url = description.path("components").path(component).path("url").asText("");
    if (url.isEmpty()) {
      throw new IllegalStateException(
          "no URL for component " + component + " in " + description.path("components"));
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A component's process id as the launcher reported it (-1 when unknown). */
  public long pid(String component) {
    return description.path("components").path(component).path("pid").asLong(-1);
  }

  public List<String> components() {
    List<String> names = new ArrayList<>();
    description.path("components").propertyNames().forEach(names::add);
    return names;
  }

  /** Each component's start-up time as the launcher measured it, and the whole stack's. */
  public Map<String, Long> startupMillis() {
    Map<String, Long> millis = new LinkedHashMap<>();
    for (String component : components()) {
      millis.put(
          component,
          description.path("components").path(component).path("startupMillis").asLong(-1));
    }
    millis.put("stack", description.path("startupMillis").asLong(-1));
    return millis;
  }

  /** The broker's bootstrap address. */
  public String kafkaBootstrap() {
    return url("kafka");
  }

  /** The MongoDB-wire server's URI, without a database. */
  public String mongoUri() {
    return url("mongo");
  }

  /**
   * Kafka client settings (bootstrap, SASL/SCRAM) authenticating as {@code principal}, one of
   * stack.json's {@code kafka.principals}: {@code admin} (super user, for tests that observe any
   * topic), {@code challenge-service}, {@code rules-service}, {@code sms-dispatcher}, {@code
   * audit-service}, {@code schema-registry}, {@code external-consumer}.
   */
  public Map<String, Object> kafkaClient(String principal) {
    JsonNode kafka = description.path("kafka");
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafkaBootstrap());
    if (kafka.isMissingNode()) {
      // A stack without Kafka identities (before they existed): everyone connects as no one.
      return config;
    }
    JsonNode password = kafka.path("principals").path(principal);
    if (password.isMissingNode()) {
      throw new IllegalArgumentException(
          "no Kafka principal " + principal + " in " + kafka.path("principals").propertyNames());
    }
    config.put("security.protocol", kafka.path("securityProtocol").asText("PLAINTEXT"));
    config.put("sasl.mechanism", kafka.path("saslMechanism").asText("SCRAM-SHA-512"));
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + principal
            + "\" password=\""
            + password.asText()
            + "\";");
    return config;
  }

  /** As {@link #kafkaClient(String)} for the admin: tests that observe or set up anything. */
  public Map<String, Object> kafkaAdminClient() {
    return kafkaClient("admin");
  }

  /** The registry's writer credential, {@code user:password} as {@code basic.auth.user.info}. */
  public String registryWriterUserInfo() {
    JsonNode writer = description.path("schemaRegistryWriter");
    return writer.path("username").asText() + ":" + writer.path("password").asText();
  }

  /** Serde settings for the stack's registry: reads, and writes with the writer's credential. */
  public Map<String, Object> serdeClient() {
    Map<String, Object> config = new HashMap<>();
    config.put("schema.registry.url", url("registry"));
    config.put("basic.auth.credentials.source", "USER_INFO");
    config.put("basic.auth.user.info", registryWriterUserInfo());
    return config;
  }
}
