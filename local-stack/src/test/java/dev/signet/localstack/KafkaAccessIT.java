package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's real broker, formatted and configured as the launcher does it, with the access
 * plan applied by {@code kafka.KafkaAccessSetup}: a client without credentials is refused, and an
 * authenticated principal may do exactly what deploy/kafka/acls.conf grants it.
 */
class KafkaAccessIT {

  private static final Path KAFKA_LIB = Path.of("target", "kafka-lib").toAbsolutePath();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir static Path dir;

  private static Process broker;
  private static String bootstrap;
  private static final Map<KafkaPrincipal, String> PASSWORDS = new HashMap<>();

  @BeforeAll
  static void startBrokerAndApplyThePlan() throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    bootstrap = "127.0.0.1:" + port;
    SecureRandom random = new SecureRandom();
    for (KafkaPrincipal p : KafkaPrincipal.values()) {
      PASSWORDS.put(p, "pw-" + p.username() + "-" + random.nextInt(1_000_000));
    }
    Path config = dir.resolve("server.properties");
    Files.writeString(
        config,
        KafkaBroker.serverProperties(
            port,
            controllerPort,
            dir.resolve("kafka"),
            "127.0.0.1",
            "127.0.0.1",
            PASSWORDS.get(KafkaPrincipal.ADMIN)));
    int formatted =
        ChildProcess.runToCompletion(
            KafkaBroker.formatCommand(
                JAVA,
                KAFKA_LIB,
                KafkaBroker.randomClusterId(random),
                config,
                KafkaBroker.addScramArgument("admin", PASSWORDS.get(KafkaPrincipal.ADMIN), random)),
            dir,
            dir.resolve("format.log"),
            Duration.ofSeconds(90));
    assertThat(formatted).as(Files.readString(dir.resolve("format.log"))).isZero();
    broker =
        new ProcessBuilder(KafkaBroker.serverCommand(JAVA, KAFKA_LIB, config))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("kafka.log").toFile())
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> Ports.accepts("127.0.0.1", port));

    Map<String, String> env = new HashMap<>();
    env.put("SIGNET_KAFKA_BOOTSTRAP", bootstrap);
    env.put("SIGNET_KAFKA_ADMIN_PASSWORD", PASSWORDS.get(KafkaPrincipal.ADMIN));
    StringBuilder users = new StringBuilder();
    PASSWORDS.forEach(
        (p, pw) -> {
          if (p != KafkaPrincipal.ADMIN) {
            users.append(p.username()).append('=').append(pw).append('\n');
          }
        });
    env.put("SIGNET_KAFKA_SCRAM_USERS", users.toString());
    Path classes = Path.of("target", "classes").toAbsolutePath();
    Path log = dir.resolve("access.log");
    int applied =
        ChildProcess.runToCompletion(
            KafkaBroker.accessSetupCommand(JAVA, KAFKA_LIB, classes),
            env,
            dir,
            log,
            Duration.ofSeconds(120));
    assertThat(applied).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("kafka access plan applied");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.destroy();
      if (!broker.waitFor(30, TimeUnit.SECONDS)) {
        broker.destroyForcibly();
      }
    }
  }

  @Test
  void refusesAClientWithoutCredentials() {
    Map<String, Object> plain = new HashMap<>();
    plain.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    plain.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    plain.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    try (Admin admin = Admin.create(plain)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(Exception.class);
    }
  }

  @Test
  void refusesAWrongPassword() {
    Map<String, Object> wrong = client("sms-dispatcher", "not-its-password");
    try (Admin admin = Admin.create(wrong)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void createdThePlannedTopicsWithAtMostThreePartitions() throws Exception {
    try (Admin admin = Admin.create(client(KafkaPrincipal.ADMIN))) {
      Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      assertThat(names)
          .contains(
              "auth.challenge.requested.v1",
              "auth.challenge.requested.v1.dlt",
              "auth.policy.send-policy.v1",
              "auth.audit.activity.v1",
              // audit-service's webhook feed reads the audit topic and parks what it cannot decode
              "auth.audit.activity.v1.dlt")
          // a dead-letter topic has no dead-letter topic of its own
          .doesNotContain("auth.challenge.requested.v1.dlt.dlt", "auth.audit.activity.v1.dlt.dlt");
      assertThat(
              admin
                  .describeTopics(List.of("auth.challenge.requested.v1"))
                  .allTopicNames()
                  .get(10, TimeUnit.SECONDS)
                  .get("auth.challenge.requested.v1")
                  .partitions())
          .hasSize(3);
    }
  }

  @Test
  void aServiceProducesItsOwnTopicsOnly() throws Exception {
    try (KafkaProducer<String, String> challenge = producer(KafkaPrincipal.CHALLENGE_SERVICE)) {
      assertThat(
              challenge
                  .send(new ProducerRecord<>("auth.challenge.requested.v1", "c1", "ok"))
                  .get(20, TimeUnit.SECONDS)
                  .offset())
          .isGreaterThanOrEqualTo(0);
    }
    try (KafkaProducer<String, String> dispatcher = producer(KafkaPrincipal.SMS_DISPATCHER)) {
      assertThatThrownBy(
              () ->
                  dispatcher
                      .send(new ProducerRecord<>("auth.policy.send-policy.v1", "default", "off"))
                      .get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void theExternalConsumerReadsTheAuditTopicInItsOwnGroupsOnly() {
    try (KafkaConsumer<String, String> external =
        consumer(KafkaPrincipal.EXTERNAL_CONSUMER, "external-reporting")) {
      external.subscribe(List.of("auth.audit.activity.v1"));
      ConsumerRecords<String, String> none = external.poll(Duration.ofSeconds(3));
      assertThat(none.isEmpty()).isTrue();
    }
    try (KafkaConsumer<String, String> external =
        consumer(KafkaPrincipal.EXTERNAL_CONSUMER, "external-reporting-2")) {
      external.subscribe(List.of("auth.challenge.requested.v1"));
      assertThatThrownBy(() -> external.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaConsumer<String, String> external =
        consumer(KafkaPrincipal.EXTERNAL_CONSUMER, "audit-service")) {
      external.subscribe(List.of("auth.audit.activity.v1"));
      assertThatThrownBy(() -> external.poll(Duration.ofSeconds(10)))
          .isInstanceOf(GroupAuthorizationException.class);
    }
  }

  private static KafkaProducer<String, String> producer(KafkaPrincipal principal) {
    Map<String, Object> config = client(principal);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return new KafkaProducer<>(config);
  }

  private static KafkaConsumer<String, String> consumer(KafkaPrincipal principal, String group) {
    Map<String, Object> config = client(principal);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return new KafkaConsumer<>(config);
  }

  private static Map<String, Object> client(KafkaPrincipal principal) {
    return client(principal.username(), PASSWORDS.get(principal));
  }

  private static Map<String, Object> client(String username, String password) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put("sasl.mechanism", KafkaBroker.MECHANISM);
    config.put("sasl.jaas.config", KafkaBroker.scramJaas(username, password));
    config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return config;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
