package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --cluster} starts: three brokers in one quorum and two instances of each service. */
class ClusterPlanTest {

  @TempDir Path dir;

  private List<Launch> plan(StackOptions options) {
    Layout layout =
        Layout.of(dir.resolve("repo/local-stack/target"), "1.2.3", options.dataDir(), false, 42);
    Secrets secrets =
        Secrets.loadOrCreate(dir.resolve("secrets.properties"), Map.of(), new SecureRandom());
    return Launch.plan(options, layout, secrets, "/jdk/bin/java");
  }

  private StackOptions cluster() {
    return StackOptions.parse(
        List.of("--cluster", "--port-offset", "100"),
        Map.of("SIGNET_DATA_DIR", dir.toString()),
        dir);
  }

  @Test
  void startsThreeBrokersAndTwoInstancesOfEachServiceWithDistinctPortsAndInstanceIds() {
    List<Launch> plan = plan(cluster());

    assertThat(plan.stream().map(Launch::name))
        .containsExactly(
            "kafka",
            "kafka-2",
            "kafka-3",
            "mongo",
            "zipkin",
            "registry",
            "sandbox",
            "challenge",
            "challenge-2",
            "rules",
            "rules-2",
            "dispatcher",
            "dispatcher-2",
            "audit",
            "audit-2");
    assertThat(plan.stream().map(Launch::port).distinct()).hasSize(plan.size());
    Launch second = named(plan, "challenge-2");
    assertThat(second.environment())
        .containsEntry("SIGNET_INSTANCE_ID", "local-challenge-2")
        .containsEntry("SIGNET_PORT", Integer.toString(second.port()))
        .containsEntry("SIGNET_DATA_DIR", dir.resolve("challenge-2").toString());
    assertThat(named(plan, "challenge").environment())
        .containsEntry("SIGNET_INSTANCE_ID", "local-challenge")
        .containsEntry("SIGNET_PORT", "8180");
    assertThat(second.log().getFileName()).hasToString("challenge-2.log");
  }

  @Test
  void clientsBootstrapFromEveryBrokerAndReachOtherServicesThroughTheEntryPoints() {
    StackOptions options = cluster();
    List<Launch> plan = plan(options);
    Topology topology = options.topology();
    String bootstrap =
        "127.0.0.1:9192,127.0.0.1:"
            + topology.brokers().get(1).port()
            + ",127.0.0.1:"
            + topology.brokers().get(2).port();

    assertThat(named(plan, "rules-2").environment())
        .containsEntry("SIGNET_KAFKA_BOOTSTRAP", bootstrap);
    assertThat(named(plan, "audit").environment())
        .containsEntry(
            "SIGNET_CHALLENGE_URL",
            "http://127.0.0.1:" + topology.entryPorts().get(Component.CHALLENGE));
    assertThat(named(plan, "sandbox").environment())
        .containsEntry(
            "SIGNET_SANDBOX_RECEIPT_URL",
            "http://127.0.0.1:"
                + topology.entryPorts().get(Component.DISPATCHER)
                + "/webhooks/vonage/delivery-receipt");
    assertThat(topology.maxPartitions()).isEqualTo(6);
  }

  @Test
  void everyBrokerIsAVoterOfOneQuorumWithThreeReplicasAndMinInSyncTwo() throws Exception {
    Topology topology = cluster().topology();
    Topology.Broker second = topology.brokers().get(1);

    Properties config = new Properties();
    config.load(
        new java.io.StringReader(
            KafkaBroker.serverProperties(
                second, topology.brokers(), dir.resolve("k2"), "127.0.0.1", "127.0.0.1", "pw")));

    assertThat(config.getProperty("node.id")).isEqualTo("2");
    assertThat(config.getProperty("controller.quorum.voters"))
        .isEqualTo(
            "1@127.0.0.1:9193,2@127.0.0.1:"
                + second.controllerPort()
                + ",3@127.0.0.1:"
                + topology.brokers().get(2).controllerPort());
    assertThat(config.getProperty("listeners")).contains(":" + second.port() + ",");
    assertThat(config)
        .containsEntry("default.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2");
  }

  @Test
  void theStandardStackKeepsOneBrokerAndOneInstanceOfEach() {
    StackOptions options =
        StackOptions.parse(List.of(), Map.of("SIGNET_DATA_DIR", dir.toString()), dir);

    assertThat(plan(options)).hasSize(Component.values().length);
    assertThat(options.topology().replicationFactor()).isEqualTo(1);
    assertThat(options.topology().maxPartitions()).isEqualTo(3);
    assertThat(options.topology().entryPorts()).isEmpty();
  }

  private static Launch named(List<Launch> plan, String name) {
    return plan.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }
}
