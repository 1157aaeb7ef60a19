package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

  @TempDir Path dir;

  @Test
  void writesACombinedKraftConfigOnTheGivenPortsAndLogDir() throws Exception {
    Properties props = new Properties();
    props.load(
        new StringReader(
            KafkaBroker.serverProperties(
                9192, 9193, dir.resolve("kafka"), "127.0.0.1", "127.0.0.1", "pw")));

    assertThat(props.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9193");
    assertThat(props.getProperty("listeners"))
        .isEqualTo("BROKER://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193");
    assertThat(props.getProperty("advertised.listeners")).isEqualTo("BROKER://127.0.0.1:9192");
    assertThat(props.getProperty("log.dirs")).isEqualTo(dir.resolve("kafka").toString());
    assertThat(props.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    assertThat(props.getProperty("share.coordinator.state.topic.min.isr")).isEqualTo("1");
  }

  @Test
  void listensOnTheBindAddressAndAdvertisesTheOneClientsConnectTo() throws Exception {
    Properties props = new Properties();
    props.load(
        new StringReader(
            KafkaBroker.serverProperties(
                9092, 9093, dir.resolve("kafka"), "0.0.0.0", "127.0.0.1", "pw")));

    assertThat(props.getProperty("listeners"))
        .isEqualTo("BROKER://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093");
    assertThat(props.getProperty("advertised.listeners")).isEqualTo("BROKER://127.0.0.1:9092");
    assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
  }

  @Test
  void everyListenerAuthenticatesAndOnlyTheAdminIsASuperUser() throws Exception {
    Properties props = new Properties();
    props.load(
        new StringReader(
            KafkaBroker.serverProperties(
                9092, 9093, dir.resolve("kafka"), "127.0.0.1", "127.0.0.1", "s3cret")));

    assertThat(props.getProperty("listener.security.protocol.map"))
        .isEqualTo("BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
        .doesNotContain("PLAINTEXT:PLAINTEXT");
    assertThat(props.getProperty("sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
    assertThat(props.getProperty("authorizer.class.name"))
        .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    assertThat(props.getProperty("allow.everyone.if.no.acl.found")).isEqualTo("false");
    assertThat(props.getProperty("super.users")).isEqualTo("User:admin");
    assertThat(props.getProperty("listener.name.broker.scram-sha-512.sasl.jaas.config"))
        .contains("username=\"admin\" password=\"s3cret\"");
    assertThat(props.getProperty("listener.name.controller.plain.sasl.jaas.config"))
        .contains("user_admin=\"s3cret\"");
  }

  @Test
  void theAdminIsFormattedInWithASaltedPasswordOnly() {
    String argument = KafkaBroker.addScramArgument("admin", "s3cret", new SecureRandom());

    assertThat(argument)
        .startsWith("SCRAM-SHA-512=[name=admin,salt=\"")
        .contains("saltedpassword=\"", "iterations=4096")
        .doesNotContain("s3cret");
  }

  @Test
  void clusterIdsLookLikeKafkasOwn() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      String id = KafkaBroker.randomClusterId(random);
      assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
      assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
    }
  }

  @Test
  void aLogDirIsFormattedOnceItHasMetaProperties() throws Exception {
    assertThat(KafkaBroker.isFormatted(dir)).isFalse();
    Files.writeString(dir.resolve("meta.properties"), "cluster.id=x\n");
    assertThat(KafkaBroker.isFormatted(dir)).isTrue();
  }

  @Test
  void formatsAndRunsFromTheCopiedKafkaJars() {
    Path lib = Path.of("target", "kafka-lib");
    Path config = dir.resolve("kafka.properties");

    assertThat(KafkaBroker.formatCommand("java", lib, "id", config, "SCRAM-SHA-512=[name=admin]"))
        .containsSubsequence("-cp", lib.resolve("*").toString(), "kafka.tools.StorageTool")
        .containsSubsequence("format", "-t", "id", "-c", config.toString())
        .endsWith("--add-scram", "SCRAM-SHA-512=[name=admin]");
    assertThat(KafkaBroker.serverCommand("java", lib, config))
        .contains("-Xmx512m")
        .endsWith("kafka.Kafka", config.toString());
  }
}
