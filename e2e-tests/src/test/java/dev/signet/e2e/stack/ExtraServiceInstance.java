package dev.signet.e2e.stack;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A second process of one of the stack's services (challenge-service, rules-service, audit-service)
 * on the running stack's MongoDB, Kafka and registry with the same secrets, as a load balancer or a
 * consumer group would see two instances. Started from the same jar the stack runs; stopped by
 * {@link #close()}.
 */
public final class ExtraServiceInstance implements AutoCloseable {

  private final Process process;
  private final String url;
  private final Path log;

  private ExtraServiceInstance(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  private static ExtraServiceInstance sharedChallengeService;

  /**
   * The second challenge-service instance the test classes share, configured as the stack's own:
   * started on first use and stopped when the test JVM exits, so that the classes that need two
   * instances behind a load balancer do not each pay a start and a stop. Never close it.
   */
  public static synchronized ExtraServiceInstance challengeService(RunningStack stack) {
    if (sharedChallengeService == null || !sharedChallengeService.process.isAlive()) {
      sharedChallengeService = start(stack, "challenge-service", "instance-2", Map.of());
    }
    return sharedChallengeService;
  }

  /**
   * A challenge-service process configured like the stack's, plus {@code environment} (which may
   * override any variable, e.g. {@code SIGNET_MONGODB_URI} for a database of its own); its log is
   * {@code challenge-service-<label>.log}.
   */
  public static ExtraServiceInstance challengeService(
      RunningStack stack, String label, Map<String, String> environment) {
    return start(stack, "challenge-service", label, environment);
  }

  /**
   * An audit-service process configured like the stack's, plus {@code environment} (e.g. a
   * database, consumer groups and a clock of its own); its log is {@code
   * audit-service-<label>.log}.
   */
  public static ExtraServiceInstance auditService(
      RunningStack stack, String label, Map<String, String> environment) {
    return start(stack, "audit-service", label, environment);
  }

  /**
   * An sms-dispatcher process sending through the stack's sandbox; it joins the {@code
   * sms-dispatcher} consumer group, so the requested-challenge partitions are split between it and
   * the stack's dispatcher. Its log is {@code sms-dispatcher-<label>.log}.
   */
  public static ExtraServiceInstance smsDispatcher(RunningStack stack, String label) {
    return smsDispatcher(stack, label, Map.of());
  }

  /** As above, plus {@code environment} (e.g. its own {@code SIGNET_INSTANCE_ID}). */
  public static ExtraServiceInstance smsDispatcher(
      RunningStack stack, String label, Map<String, String> environment) {
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.putIfAbsent("SIGNET_VONAGE_BASE_URI", stack.url("sandbox"));
    env.putIfAbsent("SIGNET_WHATSAPP_SENDER", "447700900000");
    env.putIfAbsent("SIGNET_SMS_WEBOTP_DOMAIN", "127.0.0.1");
    return start(stack, "sms-dispatcher", label, env);
  }

  /** Joins the {@code rules-service} consumer group: the tracked-action partitions are split. */
  /**
   * A second rules-service that shares the tracked-action partitions with the stack's, the same way
   * every run: Kafka's range assignor gives a group's partitions to its members in the order of
   * their ids, one each here (the local stack's topics have three). This instance's one consumer
   * ({@code e2e-...}) sorts before the stack's three ({@code local-...}), so it gets one partition
   * and the stack's instance the other two.
   */
  public static ExtraServiceInstance rulesService(RunningStack stack) {
    return start(
        stack,
        "rules-service",
        "instance-2",
        Map.of("SIGNET_INSTANCE_ID", "e2e-rules-2", "SIGNET_RULES_DECISIONCONCURRENCY", "1"));
  }

  private static ExtraServiceInstance start(
      RunningStack stack, String service, String label, Map<String, String> environment) {
    Path root = RunningStack.repositoryRoot();
    Path log = root.resolve("e2e-tests/target/" + service + "-" + label + ".log");
    try {
      Path jar;
      try (var jars = Files.list(root.resolve(service + "/target"))) {
        jar =
            jars.filter(p -> p.getFileName().toString().matches(service + "-.*\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(service + " jar not built"));
      }
      Properties secrets = new Properties();
      try (InputStream in = Files.newInputStream(stack.dataDir().resolve("secrets.properties"))) {
        secrets.load(in);
      }
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx256m",
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      var env = builder.environment();
      for (String name : secrets.stringPropertyNames()) {
        env.put(name, secrets.getProperty(name));
      }
      String mongo = stack.description().path("components").path("mongo").path("url").asText();
      env.put("SIGNET_PORT", Integer.toString(port));
      // Loopback only, like the stack's own components.
      env.put("SERVER_ADDRESS", "127.0.0.1");
      env.put("SIGNET_MONGODB_URI", mongo + "/signet-" + service);
      env.put(
          "SIGNET_KAFKA_BOOTSTRAP",
          stack.description().path("components").path("kafka").path("url").asText());
      env.put("SIGNET_SCHEMA_REGISTRY_URL", stack.url("registry"));
      // The same Kafka principal as the stack's own instance of the service.
      Map<String, Object> kafka = stack.kafkaClient(service);
      env.put("SIGNET_KAFKA_SECURITY_PROTOCOL", String.valueOf(kafka.get("security.protocol")));
      env.put("SIGNET_KAFKA_SASL_MECHANISM", String.valueOf(kafka.get("sasl.mechanism")));
      env.put("SIGNET_KAFKA_USERNAME", service);
      env.put(
          "SIGNET_KAFKA_PASSWORD",
          stack.description().path("kafka").path("principals").path(service).asText());
      env.put("SIGNET_SCHEMA_REGISTRY_USER_INFO", stack.registryWriterUserInfo());
      if (service.equals("challenge-service") || service.equals("sms-dispatcher")) {
        // Configured as the stack's own instance is, so that either instance serves every test.
        env.put("SIGNET_FICTIONAL_NUMBER_PREFIXES", RunningStack.FICTIONAL_NUMBER_PREFIXES);
        env.put("SIGNET_TEST_NUMBERS", RunningStack.TEST_NUMBERS);
      }
      env.putAll(environment);
      Process process = builder.start();
      String url = "http://127.0.0.1:" + port;
      ExtraServiceInstance instance = new ExtraServiceInstance(process, url, log);
      // A start that fails must not leave the process behind: it would keep serving or deciding.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      try {
        instance.awaitHealthy(service);
      } catch (RuntimeException | Error e) {
        instance.close();
        throw e;
      }
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy(String service) {
    Http http = new Http();
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("second " + service + " exited; see " + log);
              }
              return http.get(url + "/actuator/health/readiness", null).status() == 200;
            });
  }

  public String url() {
    return url;
  }

  /** The instance's log so far (e.g. to see which partitions it was assigned). */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills the process with SIGKILL, as {@code kill -9}: it neither drains nor leaves its groups.
   */
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
