package dev.signet.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class ProducedTopicsTest {

  record Planned(String name, Map<String, String> configs) {}

  @Test
  void declaresEveryTopicWithThreePartitionsAndItsConfigs() {
    List<Planned> plan =
        List.of(
            new Planned("auth.a.happened.v1", Map.of("cleanup.policy", "delete")),
            new Planned("auth.b.state.v1", Map.of("cleanup.policy", "compact")));

    List<NewTopic> topics = ProducedTopics.newTopics(plan, Planned::name, Planned::configs);

    assertThat(topics)
        .extracting(NewTopic::name)
        .containsExactly("auth.a.happened.v1", "auth.b.state.v1");
    assertThat(topics).allSatisfy(t -> assertThat(t.numPartitions()).isEqualTo(3));
    assertThat(topics.get(1).configs()).containsEntry("cleanup.policy", "compact");
  }
}
