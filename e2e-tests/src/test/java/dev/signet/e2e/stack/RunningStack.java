package dev.signet.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      // The hosted page may be framed by, post to and redirect back to those test pages.
      builder.environment().put("SIGNET_UI_FRAME_ORIGINS", BROWSER_TEST_ORIGINS);
      builder.environment().put("SIGNET_UI_REDIRECT_ORIGINS", BROWSER_TEST_ORIGINS);
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

  /** The broker's bootstrap address. */
  public String kafkaBootstrap() {
    return description.path("components").path("kafka").path("url").asText();
  }

  /**
   * Kafka client settings (bootstrap, SASL/SCRAM) authenticating as {@code principal}, one of
   * stack.json's {@code kafka.principals}: {@code admin} (super user, for tests that observe any
   * topic), {@code challenge-service}, {@code rules-service}, {@code sms-dispatcher}, {@code
   * audit-service}, {@code schema-registry}, {@code external-consumer}.
   */
  public Map<String, Object> kafkaClient(String principal) {
    return kafkaClient(description, principal);
  }

  /** As {@link #kafkaClient(String)}, for a stack.json a test read itself. */
  public static Map<String, Object> kafkaClient(JsonNode description, String principal) {
    JsonNode kafka = description.path("kafka");
    if (kafka.isMissingNode()) {
      // A stack without Kafka identities (before they existed): everyone connects as no one.
      Map<String, Object> plaintext = new HashMap<>();
      plaintext.put(
          "bootstrap.servers", description.path("components").path("kafka").path("url").asText());
      return plaintext;
    }
    JsonNode password = kafka.path("principals").path(principal);
    if (password.isMissingNode()) {
      throw new IllegalArgumentException(
          "no Kafka principal " + principal + " in " + kafka.path("principals").propertyNames());
    }
    Map<String, Object> config = new HashMap<>();
    config.put(
        "bootstrap.servers", description.path("components").path("kafka").path("url").asText());
    config.put("security.protocol", kafka.path("securityProtocol").asText());
    config.put("sasl.mechanism", kafka.path("saslMechanism").asText());
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
