package dev.signet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a local stack's launcher wrote about it in its data directory once every component was
 * healthy: {@code stack.json} (URLs, process ids, secrets, the Kafka identities) and {@code
 * secrets.properties}. {@link LocalStack} adds the launcher of a stack started here.
 */
public class StackDescription {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JsonNode description;
  private final Path dataDir;

  StackDescription(Path dataDir) {
    this.dataDir = dataDir;
    this.description = read(dataDir.resolve("stack.json"));
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Every broker's address, comma-separated (one in the standard stack, three in a cluster). */
  public String kafkaBootstrap() {
    String all = description.path("kafka").path("bootstrap").asText("");
    return all.isEmpty() ? url("kafka") : all;
  }

  /** Whether the stack runs in cluster mode ({@code ./run --cluster}). */
  public boolean cluster() {
    return description.path("cluster").asBoolean(false);
  }

  /**
   * The names of the processes that run {@code component}, first instance first: {@code [kafka,
   * kafka-2, kafka-3]} or {@code [challenge, challenge-2]} in a cluster, {@code [challenge]} in the
   * standard stack. Each name is a key of {@link #url}, {@link #pid} and {@link #currentPid}.
   */
  public List<String> instances(String component) {
    List<String> names = new ArrayList<>();
    for (String name : components()) {
      JsonNode entry = description.path("components").path(name);
      String of = entry.path("of").asText(entry.has("entryPointOf") ? "" : name);
      if (of.equals(component)) {
        names.add(name);
      }
    }
    names.sort(
        java.util.Comparator.comparingInt(
            name -> description.path("components").path(name).path("instance").asInt(1)));
    return names;
  }

  /**
   * The URL of the round-robin entry point in front of a service's instances ({@code challenge}:
   * the {@code gateway}, {@code dispatcher}: {@code webhooks}); the service's own URL when the
   * stack has none (the standard stack).
   */
  public String entryPointUrl(String component) {
    for (String name : components()) {
      JsonNode entry = description.path("components").path(name);
      if (entry.path("entryPointOf").asText("").equals(component)) {
        return url(name);
      }
    }
    return url(component);
  }

  /**
   * The process id of {@code name} now, from a fresh read of stack.json: the launcher rewrites it
   * once a restarted process is ready (-1 when unknown).
   */
  public long currentPid(String name) {
    return read(dataDir.resolve("stack.json")).path("components").path(name).path("pid").asLong(-1);
  }

  /** Kills the process {@code name} runs as with SIGKILL, as {@code kill -9}; returns its pid. */
  public long kill(String name) {
    long pid = currentPid(name);
    ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") is not running"))
        .destroyForcibly();
    return pid;
  }

  /**
   * Keeps {@code name} down: while held, the launcher does not restart it when it exits (a killed
   * instance stays dead, as one that is not replaced). {@link #release} lets it restart.
   */
  public void holdDown(String name) {
    try {
      Files.createDirectories(dataDir.resolve("hold"));
      Files.writeString(dataDir.resolve("hold").resolve(name), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets the launcher restart {@code name} (at once when it is down and was held). */
  public void release(String name) {
    try {
      Files.deleteIfExists(dataDir.resolve("hold").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
