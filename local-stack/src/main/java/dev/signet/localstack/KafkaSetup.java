package dev.signet.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the broker needs beyond its process: the config and the formatted log dir before it starts,
 * and the users, ACLs and topics of the production plans once it listens, before any other
 * component connects (so that no client ever meets a missing topic or a missing permission).
 */
final class KafkaSetup {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final StackOptions options;
  private final Layout layout;
  private final String javaBin;
  private final SecureRandom random;
  private final PrintStream out;
  private final Consumer<String> say;
  private String clusterId;
  private String addScram;

  KafkaSetup(
      StackOptions options,
      Layout layout,
      String javaBin,
      SecureRandom random,
      PrintStream out,
      Consumer<String> say) {
    this.options = options;
    this.layout = layout;
    this.javaBin = javaBin;
    this.random = random;
    this.out = out;
    this.say = say;
  }

  /**
   * Writes the broker config (owner-only: it holds the admin password) and formats the log dir on
   * the first start, with the admin SCRAM user in it.
   */
  boolean prepare(Launch launch, Secrets secrets) throws IOException, InterruptedException {
    Topology topology = options.topology();
    int index = launch.name().equals(Component.KAFKA.id()) ? 0 : instance(launch.name()) - 1;
    Topology.Broker self = topology.brokers().get(index);
    Path config = layout.kafkaConfig(launch.name());
    Path logDir = layout.kafkaLogDir(launch.name(), topology.isCluster());
    Files.createDirectories(config.getParent());
    OwnerOnlyFiles.write(
        config,
        KafkaBroker.serverProperties(
            self,
            topology.brokers(),
            logDir,
            options.bindUrlHost(),
            options.urlHost(),
            secrets.kafkaPassword(KafkaPrincipal.ADMIN)));
    if (KafkaBroker.isFormatted(logDir)) {
      return true;
    }
    say.accept("formatting the Kafka log dir " + layout.display(logDir) + " (first start)");
    Files.deleteIfExists(launch.log());
    int exit =
        ChildProcess.runToCompletion(
            KafkaBroker.formatCommand(
                javaBin, layout.kafkaLib(), clusterId(topology), config, addScram(secrets)),
            layout.runDir(),
            launch.log(),
            TIMEOUT);
    if (exit != 0) {
      say.accept(
          "FAILED: formatting the Kafka log dir (exit "
              + exit
              + "). Its log: "
              + layout.display(launch.log()));
      return false;
    }
    Files.move(
        launch.log(),
        launch.log().resolveSibling(launch.name() + "-format.log"),
        StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  /**
   * The cluster id every broker of this stack is formatted with: the one a formatted broker already
   * has (a cluster whose third broker lost its log dir), else a new one.
   */
  private String clusterId(Topology topology) throws IOException {
    if (clusterId == null) {
      for (int n = 1; n <= topology.brokers().size() && clusterId == null; n++) {
        Path meta =
            layout
                .kafkaLogDir(Topology.name(Component.KAFKA, n), topology.isCluster())
                .resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
          java.util.Properties p = new java.util.Properties();
          try (var in = Files.newInputStream(meta)) {
            p.load(in);
          }
          clusterId = p.getProperty("cluster.id");
        }
      }
      if (clusterId == null) {
        clusterId = KafkaBroker.randomClusterId(random);
      }
    }
    return clusterId;
  }

  /** One admin SCRAM record for every broker: a quorum's bootstrap metadata must agree. */
  private String addScram(Secrets secrets) {
    if (addScram == null) {
      addScram =
          KafkaBroker.addScramArgument(
              KafkaPrincipal.ADMIN.username(), secrets.kafkaPassword(KafkaPrincipal.ADMIN), random);
    }
    return addScram;
  }

  private static int instance(String name) {
    return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
  }

  /**
   * Sets every principal's SCRAM password, the ACLs of the access plan and the topics of the topic
   * plan, as the admin (kafka.KafkaAccessSetup, in a JVM of its own on the broker's class path).
   */
  boolean applyPlans(Secrets secrets) throws IOException, InterruptedException {
    Path log = layout.logsDir().resolve("kafka-access.log");
    Files.deleteIfExists(log);
    int exit =
        ChildProcess.runToCompletion(
            KafkaBroker.accessSetupCommand(
                javaBin, layout.kafkaLib(), Layout.launcherCode(), options.topology()),
            KafkaBroker.accessSetupEnvironment(Launch.kafkaBootstrap(options), secrets),
            layout.runDir(),
            log,
            TIMEOUT);
    if (exit != 0) {
      say.accept(
          "FAILED: applying the Kafka access plan (exit "
              + exit
              + "). Its log: "
              + layout.display(log));
      List<String> tail = Files.readAllLines(log, StandardCharsets.UTF_8);
      tail.subList(Math.max(0, tail.size() - 10), tail.size())
          .forEach(line -> out.println("    | " + line));
      return false;
    }
    say.accept("Kafka users, ACLs and topics are in place (" + layout.display(log) + ")");
    return true;
  }
}
