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
import java.util.Properties;

/**
 * A second rules-service process on the running stack's MongoDB, Kafka and registry with the same
 * secrets: it joins the {@code rules-service} consumer group, so the tracked-action partitions are
 * split between the two instances. Started from the same jar the stack runs; stopped by {@link
 * #close()}.
 */
public final class ExtraRulesInstance implements AutoCloseable {

  private final Process process;
  private final String url;

  private ExtraRulesInstance(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  public static ExtraRulesInstance start(RunningStack stack) {
    Path root = RunningStack.repositoryRoot();
    try {
      Path jar;
      try (var jars = Files.list(root.resolve("rules-service/target"))) {
        jar =
            jars.filter(p -> p.getFileName().toString().matches("rules-service-.*\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("rules-service jar not built"));
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
              .redirectOutput(root.resolve("e2e-tests/target/rules-instance-2.log").toFile());
      var env = builder.environment();
      for (String name : secrets.stringPropertyNames()) {
        env.put(name, secrets.getProperty(name));
      }
      String mongo = stack.description().path("components").path("mongo").path("url").asText();
      env.put("SIGNET_PORT", Integer.toString(port));
      env.put("SIGNET_MONGODB_URI", mongo + "/signet-rules-service");
      env.put(
          "SIGNET_KAFKA_BOOTSTRAP",
          stack.description().path("components").path("kafka").path("url").asText());
      env.put("SIGNET_SCHEMA_REGISTRY_URL", stack.url("registry"));
      Process process = builder.start();
      String url = "http://127.0.0.1:" + port;
      ExtraRulesInstance instance = new ExtraRulesInstance(process, url);
      Http http = new Http();
      // A start that fails must not leave the process behind: it would keep deciding.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      try {
        awaitHealthy(process, url, http);
      } catch (RuntimeException | Error e) {
        instance.close();
        throw e;
      }
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitHealthy(Process process, String url, Http http) {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "second rules-service exited; see e2e-tests/target/rules-instance-2.log");
              }
              return http.get(url + "/actuator/health", null).status() == 200;
            });
  }

  public String url() {
    return url;
  }

  /** The instance's log so far (e.g. to see which partitions it was assigned). */
  public String log() {
    try {
      return Files.readString(
          RunningStack.repositoryRoot().resolve("e2e-tests/target/rules-instance-2.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
