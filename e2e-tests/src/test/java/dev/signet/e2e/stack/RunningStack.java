package dev.signet.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole local stack, started once per test JVM with the README's run command ({@code ./run
 * --no-build --in-memory --port-offset 100 --quiet}) next to any stack a developer already runs,
 * and stopped by a shutdown hook. Tests read URLs and secrets from the {@code stack.json} it writes
 * when every component is healthy.
 */
public final class RunningStack {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static RunningStack instance;

  /** Origins of the browser tests' local pages, allowed by the stack's client API. */
  public static final String BROWSER_TEST_ORIGINS = "http://127.0.0.1:[*]";

  /**
   * The fictional range the tests' phone numbers come from ({@link Sandbox#freshPhoneNumber()}):
   * challenge-service accepts it only when told to.
   */
  public static final String FICTIONAL_NUMBER_PREFIXES = "+4477009";

  /** The stack's test number with its fixed code (FixedCodeNumberIT); opt in, like the range. */
  public static final String TEST_NUMBERS = "+447700900000:000000";

  private final Process launcher;
  private final JsonNode description;
  private final Path dataDir;

  private RunningStack(Process launcher, JsonNode description, Path dataDir) {
    this.launcher = launcher;
    this.description = description;
    this.dataDir = dataDir;
  }

  /** Starts the stack on first use; later calls return the same one. */
  public static synchronized RunningStack get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-local-stack"));
    }
    return instance;
  }

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

  private static RunningStack start() {
    Path root = repositoryRoot();
    // A second stack beside a developer's one; -Dsignet.e2e.portOffset moves it further aside.
    String portOffset = System.getProperty("signet.e2e.portOffset", "100");
    Path dataDir = root.resolve("e2e-tests/target/stack-" + portOffset);
    Path stackJson = dataDir.resolve("stack.json");
    Path log = root.resolve("e2e-tests/target/stack-launcher-" + portOffset + ".log");
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(stackJson);
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      root.resolve("run").toString(),
                      "--no-build",
                      "--in-memory",
                      "--port-offset",
                      portOffset,
                      "--quiet",
                      "--data-dir",
                      dataDir.toString()))
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // Browser tests serve their page from 127.0.0.1 on a free port; the client API must allow
      // that origin (CORS). The launcher's environment reaches every service it starts.
      builder.environment().put("SIGNET_CLIENT_ALLOWED_ORIGINS", BROWSER_TEST_ORIGINS);
      // Development-only settings are opt in: the stack gets them explicitly, nothing by default.
      builder.environment().put("SIGNET_FICTIONAL_NUMBER_PREFIXES", FICTIONAL_NUMBER_PREFIXES);
      builder.environment().put("SIGNET_TEST_NUMBERS", TEST_NUMBERS);
      Process process = builder.start();
      Instant deadline = Instant.now().plus(START_TIMEOUT);
      while (!Files.exists(stackJson)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "local stack exited with " + process.exitValue() + "; see " + log);
        }
        if (Instant.now().isAfter(deadline)) {
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
          throw new IllegalStateException("local stack not healthy in time; see " + log);
        }
        process.waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      // The launcher writes the file in one move once every component is healthy.
      JsonNode description = JSON.readTree(Files.readString(stackJson));
      return new RunningStack(process, description, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the launcher, which stops every component it started. */
  public void stop() {
    if (!launcher.isAlive()) {
      return;
    }
    var children = launcher.descendants().toList();
    launcher.destroy();
    try {
      if (!launcher.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  public Process launcher() {
    return launcher;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String apiSecret() {
    return description.path("apiSecret").asText();
  }

  public String managementSecret() {
    return description.path("managementSecret").asText();
  }

  /** The dashboard account ./run generated. */
  public String dashboardOperator() {
    return description.path("dashboardOperator").asText();
  }

  public String dashboardPassword() {
    return description.path("dashboardPassword").asText();
  }

  /**
   * Base URL of a component by its name in stack.json, e.g. {@code challenge} or {@code sandbox}.
   */
  public String url(String component) {
    JsonNode node = description.path("components").path(component).path("url");
    if (node.isMissingNode() || node.asText().isEmpty()) {
      throw new IllegalArgumentException(
          "no URL for component " + component + " in " + description.path("components"));
    }
    String url = node.asText();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public JsonNode description() {
    return description;
  }
}
