package dev.signet.localstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one JVM), run from
 * the jars in {@code local-stack/target/kafka-lib}. The log dir is formatted once; later starts
 * reuse it.
 */
final class KafkaBroker {

  static final List<String> JVM_OPTIONS =
      List.of(
          "-Xms64m",
          "-Xmx512m",
          "-XX:+UseSerialGC",
          "-Djava.awt.headless=true",
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
          // The controller warns on every first start that its freshly formatted metadata log is
          // empty: expected here, and the only WARN a healthy first start would show.
          "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController=error",
          // The offsets topic is created on the first group coordinator look-up; when several
          // consumers look one up while it is being created (a first start on a busy machine),
          // each look-up asks again and the broker warns that the topic already exists: the state
          // every look-up wanted, nothing to act on.
          "-Dorg.slf4j.simpleLogger.log.kafka.server.DefaultAutoTopicCreationManager=error");

  private KafkaBroker() {}

  /** SCRAM mechanism of every client and of the broker's own inter-broker connection. */
  static final String MECHANISM = "SCRAM-SHA-512";

  /** Kafka's default and minimum iteration count for SCRAM-SHA-512. */
  static final int SCRAM_ITERATIONS = 4096;

  /**
   * The broker's configuration. {@code listenHost} is the address both listeners bind to, {@code
   * connectHost} the one clients and the controller quorum use (they differ when the broker listens
   * on every interface); both as URL hosts, an IPv6 address in brackets.
   *
   * <p>Every connection authenticates. Clients use SASL/SCRAM-SHA-512 on the BROKER listener, with
   * the users the launcher keeps in the metadata log; the controller listener uses SASL/PLAIN with
   * the admin user defined right here (SCRAM credentials live in the metadata log, which the
   * controller serves, so they cannot authenticate the controller itself). The StandardAuthorizer
   * refuses whatever no ACL allows; only {@code admin} is a super user.
   */
  static String serverProperties(
      int brokerPort,
      int controllerPort,
      Path logDir,
      String listenHost,
      String connectHost,
      String adminPassword) {
    Topology.Broker self = new Topology.Broker(1, brokerPort, controllerPort);
    return serverProperties(self, List.of(self), logDir, listenHost, connectHost, adminPassword);
  }

  /**
   * The configuration of {@code self}, one of {@code quorum}'s brokers, each a KRaft controller
   * (the quorum lists them all) and a broker. With three, the internal topics get three replicas
   * and {@code min.insync.replicas=2}, as the Signet topics do: the cluster keeps working, and
   * accepting {@code acks=all} writes, with one broker down. The session bounds allow the short
   * consumer sessions Signet's services use ({@link #MIN_SESSION_TIMEOUT_MS}).
   */
  static String serverProperties(
      Topology.Broker self,
      List<Topology.Broker> quorum,
      Path logDir,
      String listenHost,
      String connectHost,
      String adminPassword) {
    int replicas = Math.min(quorum.size(), Topology.CLUSTER_BROKERS);
    int minIsr = replicas >= 3 ? 2 : 1;
    String voters =
        String.join(
            ",",
            quorum.stream()
                .map(b -> b.nodeId() + "@" + connectHost + ":" + b.controllerPort())
                .toList());
    return header(self, voters, logDir, listenHost, connectHost, adminPassword)
        + """
        default.replication.factor=%1$d
        min.insync.replicas=%2$d
        offsets.topic.replication.factor=%1$d
        transaction.state.log.replication.factor=%1$d
        transaction.state.log.min.isr=%2$d
        share.coordinator.state.topic.replication.factor=%1$d
        share.coordinator.state.topic.min.isr=%2$d
        group.initial.rebalance.delay.ms=0
        group.min.session.timeout.ms=%3$d
        group.consumer.min.session.timeout.ms=%3$d
        group.consumer.min.heartbeat.interval.ms=500
        """
            .formatted(replicas, minIsr, MIN_SESSION_TIMEOUT_MS);
  }

  /** The smallest consumer session the brokers accept (Kafka's default: 6 s); see Launch. */
  static final int MIN_SESSION_TIMEOUT_MS = 1000;

  private static String header(
      Topology.Broker self,
      String voters,
      Path logDir,
      String listenHost,
      String connectHost,
      String adminPassword) {
    String admin = KafkaPrincipal.ADMIN.username();
    return """
        # Written by the Signet local stack on every start (owner-only: it holds the admin password).
        process.roles=broker,controller
        node.id=%10$d
        controller.quorum.voters=%11$s
        controller.listener.names=CONTROLLER
        listeners=BROKER://%4$s:%1$d,CONTROLLER://%4$s:%2$d
        advertised.listeners=BROKER://%5$s:%1$d
        listener.security.protocol.map=BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
        inter.broker.listener.name=BROKER
        sasl.enabled.mechanisms=%6$s
        sasl.mechanism.inter.broker.protocol=%6$s
        listener.name.broker.scram-sha-512.sasl.jaas.config=%7$s
        sasl.mechanism.controller.protocol=PLAIN
        listener.name.controller.sasl.enabled.mechanisms=PLAIN
        listener.name.controller.plain.sasl.jaas.config=%8$s
        authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
        allow.everyone.if.no.acl.found=false
        super.users=User:%9$s
        log.dirs=%3$s
        num.partitions=1
        """
        .formatted(
            self.port(),
            self.controllerPort(),
            logDir.toAbsolutePath().toString().replace('\\', '/'),
            listenHost,
            connectHost,
            MECHANISM,
            scramJaas(admin, adminPassword),
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + admin
                + "\" password=\""
                + adminPassword
                + "\" user_"
                + admin
                + "=\""
                + adminPassword
                + "\";",
            admin,
            self.nodeId(),
            voters);
  }

  /** The client-side JAAS line of a SCRAM user, as {@code sasl.jaas.config} wants it. */
  static String scramJaas(String username, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + username
        + "\" password=\""
        + password
        + "\";";
  }

  /**
   * The {@code --add-scram} argument that creates the admin user when the log dir is formatted:
   * salt and salted password (PBKDF2 with HMAC-SHA-512, as SCRAM's Hi), so that the password itself
   * never appears on a command line.
   */
  static String addScramArgument(String username, String password, SecureRandom random) {
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    byte[] salted;
    try {
      salted =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
              .generateSecret(new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 512))
              .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot compute PBKDF2WithHmacSHA512", e);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    return MECHANISM
        + "=[name="
        + username
        + ",salt=\""
        + b64.encodeToString(salt)
        + "\",saltedpassword=\""
        + b64.encodeToString(salted)
        + "\",iterations="
        + SCRAM_ITERATIONS
        + "]";
  }

  /** A log dir is formatted once StorageTool has written its {@code meta.properties}. */
  static boolean isFormatted(Path logDir) {
    return Files.isRegularFile(logDir.resolve("meta.properties"));
  }

  /**
   * A cluster id as {@code kafka-storage.sh random-uuid} prints it: 16 random bytes, URL-safe
   * base64 without padding, never starting with '-' (Kafka's own rule, to keep it usable on a
   * command line).
   */
  static String randomClusterId(SecureRandom random) {
    while (true) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  static List<String> formatCommand(
      String javaBin, Path kafkaLib, String clusterId, Path config, String addScram) {
    return List.of(
        javaBin,
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-cp",
        kafkaLib.resolve("*").toString(),
        "kafka.tools.StorageTool",
        "format",
        "-t",
        clusterId,
        "-c",
        config.toString(),
        "--add-scram",
        addScram);
  }

  static List<String> serverCommand(String javaBin, Path kafkaLib, Path config) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(kafkaLib.resolve("*").toString());
    cmd.add("kafka.Kafka");
    cmd.add(config.toString());
    return List.copyOf(cmd);
  }

  /** The one-shot JVM that applies the access and topic plans (kafka.KafkaAccessSetup). */
  static List<String> accessSetupCommand(String javaBin, Path kafkaLib, Path launcherCode) {
    return accessSetupCommand(javaBin, kafkaLib, launcherCode, Topology.single(0));
  }

  /** As above; topics get the topology's replication factor and minimum in-sync replicas. */
  static List<String> accessSetupCommand(
      String javaBin, Path kafkaLib, Path launcherCode, Topology topology) {
    return List.of(
        javaBin,
        "-Xmx128m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp",
        launcherCode + File.pathSeparator + kafkaLib.resolve("*"),
        "dev.signet.localstack.kafka.KafkaAccessSetup",
        "--max-partitions",
        Integer.toString(topology.maxPartitions()),
        "--replication-factor",
        Integer.toString(topology.replicationFactor()),
        "--min-insync-replicas",
        Integer.toString(topology.minInSyncReplicas()));
  }

  /**
   * The local stack creates the plan's topics with at most 3 partitions: one broker on a laptop
   * gains nothing from 12, and 3 is what the services' consumers are sized for.
   */
  static final int LOCAL_MAX_PARTITIONS = 3;

  /** Passwords reach the setup through its environment, never its command line. */
  static Map<String, String> accessSetupEnvironment(String bootstrap, Secrets secrets) {
    StringBuilder users = new StringBuilder();
    for (KafkaPrincipal p : KafkaPrincipal.values()) {
      if (p != KafkaPrincipal.ADMIN) {
        users.append(p.username()).append('=').append(secrets.kafkaPassword(p)).append('\n');
      }
    }
    return Map.of(
        "SIGNET_KAFKA_BOOTSTRAP",
        bootstrap,
        "SIGNET_KAFKA_ADMIN_PASSWORD",
        secrets.kafkaPassword(KafkaPrincipal.ADMIN),
        "SIGNET_KAFKA_SCRAM_USERS",
        users.toString());
  }
}
