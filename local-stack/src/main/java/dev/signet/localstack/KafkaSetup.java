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
    Path config = layout.kafkaConfig();
    Files.createDirectories(config.getParent());
    OwnerOnlyFiles.write(
        config,
        KafkaBroker.serverProperties(
            launch.port(),
            Component.KAFKA_CONTROLLER_PORT + options.portOffset(),
            layout.kafkaLogDir(),
            options.bindUrlHost(),
            options.urlHost(),
            secrets.kafkaPassword(KafkaPrincipal.ADMIN)));
    if (KafkaBroker.isFormatted(layout.kafkaLogDir())) {
      return true;
    }
    say.accept(
        "formatting the Kafka log dir " + layout.display(layout.kafkaLogDir()) + " (first start)");
    Files.deleteIfExists(launch.log());
    int exit =
        ChildProcess.runToCompletion(
            KafkaBroker.formatCommand(
                javaBin,
                layout.kafkaLib(),
                KafkaBroker.randomClusterId(random),
                config,
                KafkaBroker.addScramArgument(
                    KafkaPrincipal.ADMIN.username(),
                    secrets.kafkaPassword(KafkaPrincipal.ADMIN),
                    random)),
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
        launch.log().resolveSibling("kafka-format.log"),
        StandardCopyOption.REPLACE_EXISTING);
    return true;
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
            KafkaBroker.accessSetupCommand(javaBin, layout.kafkaLib(), Layout.launcherCode()),
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
