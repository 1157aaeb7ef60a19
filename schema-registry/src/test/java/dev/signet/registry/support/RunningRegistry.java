package dev.signet.registry.support;

import dev.signet.registry.SchemaRegistryApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The registry application started on a free port, as {@code java -jar} would run it. */
public final class RunningRegistry implements AutoCloseable {

  public static final String WRITER = "schema-writer";
  public static final String WRITER_PASSWORD = "test-writer-password";

  private final ConfigurableApplicationContext context;
  private final String baseUrl;

  private RunningRegistry(ConfigurableApplicationContext context) {
    this.context = context;
    this.baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  public static RunningRegistry start(String bootstrap, String topic) {
    return start(bootstrap, topic, Map.of());
  }

  /** Starts the application with command-line arguments, which win over application.yml. */
  public static RunningRegistry start(
      String bootstrap, String topic, Map<String, Object> extraProperties) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--signet.registry.kafka-bootstrap=" + bootstrap);
    args.add("--signet.registry.topic=" + topic);
    args.add("--signet.registry.writer.password=" + WRITER_PASSWORD);
    extraProperties.forEach((key, value) -> args.add("--" + key + "=" + value));
    RunningRegistry registry =
        new RunningRegistry(
            new SpringApplicationBuilder(SchemaRegistryApplication.class)
                .run(args.toArray(String[]::new)));
    return registry;
  }

  /** Waits until the registry has read its topic, as the local-stack launcher does. */
  public RunningRegistry awaitHealthy() {
    WebTestClient client = client();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                client
                        .get()
                        .uri("/actuator/health")
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .value()
                    == 200);
    return this;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A client with the writer's credential, as the services' serde sends it. */
  public WebTestClient client() {
    return WebTestClient.bindToServer()
        .baseUrl(baseUrl)
        .responseTimeout(Duration.ofSeconds(30))
        .defaultHeaders(headers -> headers.setBasicAuth(WRITER, WRITER_PASSWORD))
        .build();
  }

  /** A client without any credential. */
  public WebTestClient anonymousClient() {
    return WebTestClient.bindToServer()
        .baseUrl(baseUrl)
        .responseTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public void close() {
    context.close();
  }
}
