package dev.signet.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");

  private KafkaBroker() {}

  /**
   * The broker's configuration. {@code listenHost} is the address both listeners bind to, {@code
   * connectHost} the one clients and the controller quorum use (they differ when the broker listens
   * on every interface); both as URL hosts, an IPv6 address in brackets.
   */
  static String serverProperties(
      int brokerPort, int controllerPort, Path logDir, String listenHost, String connectHost) {
    return """
        # Written by the Signet local stack on every start.
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@%5$s:%2$d
        controller.listener.names=CONTROLLER
        listeners=PLAINTEXT://%4$s:%1$d,CONTROLLER://%4$s:%2$d
        advertised.listeners=PLAINTEXT://%5$s:%1$d
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        inter.broker.listener.name=PLAINTEXT
        log.dirs=%3$s
        num.partitions=1
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        share.coordinator.state.topic.replication.factor=1
        share.coordinator.state.topic.min.isr=1
        group.initial.rebalance.delay.ms=0
        """
        .formatted(
            brokerPort,
            controllerPort,
            logDir.toAbsolutePath().toString().replace('\\', '/'),
            listenHost,
            connectHost);
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

  static List<String> formatCommand(String javaBin, Path kafkaLib, String clusterId, Path config) {
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
        config.toString());
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
}
