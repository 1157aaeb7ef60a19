package dev.signet.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlameGraphTest {

  @TempDir Path dir;

  @Test
  void writesOneFramePerStackElementWithItsShareAndLeavesOutSingletons() throws Exception {
    Map<String, Long> collapsed =
        Map.of(
            "worker-N;a.B.run;a.B.hot", 90L,
            "worker-N;a.B.run;a.B.cold", 9L,
            "worker-N;a.B.run;a.B.once", 1L);
    Path svg = dir.resolve("x.svg");

    FlameGraph.write(collapsed, "x & y", svg);

    String text = Files.readString(svg);
    assertThat(text).startsWith("<svg").endsWith("</svg>\n").contains("x &amp; y (100 samples");
    assertThat(text).contains("<title>a.B.hot (90, 90.0%)</title>");
    assertThat(text).contains("<title>a.B.cold (9, 9.0%)</title>");
    assertThat(text).contains("<title>a.B.run (100, 100.0%)</title>");
    assertThat(text).doesNotContain("a.B.once");
  }

  @Test
  void shortNameKeepsClassAndMethod() {
    assertThat(FlameGraph.shortName("org.apache.kafka.clients.consumer.KafkaConsumer.poll"))
        .isEqualTo("KafkaConsumer.poll");
    assertThat(FlameGraph.shortName("all")).isEqualTo("all");
  }
}
