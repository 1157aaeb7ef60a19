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
                9192, 9193, dir.resolve("kafka"), "127.0.0.1", "127.0.0.1")));

    assertThat(props.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9193");
    assertThat(props.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193");
    assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9192");
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
                9092, 9093, dir.resolve("kafka"), "0.0.0.0", "127.0.0.1")));

    assertThat(props.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093");
    assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
    assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
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

    assertThat(KafkaBroker.formatCommand("java", lib, "id", config))
        .containsSubsequence("-cp", lib.resolve("*").toString(), "kafka.tools.StorageTool")
        .containsSubsequence("format", "-t", "id", "-c", config.toString());
    assertThat(KafkaBroker.serverCommand("java", lib, config))
        .contains("-Xmx512m")
        .endsWith("kafka.Kafka", config.toString());
  }
}
