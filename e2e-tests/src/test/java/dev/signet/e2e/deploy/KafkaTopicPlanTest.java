package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topic plan the production Kafka container applies (deploy/kafka/topics.conf) covers exactly
 * the topics of the event catalogue, read from its source so that a new topic is caught here.
 */
class KafkaTopicPlanTest {

  private static final Pattern TOPIC_NAME =
      Pattern.compile("\"(auth\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.v[0-9]+)\"");

  private static Path root;
  private static List<String[]> plan;

  @BeforeAll
  static void readPlan() throws IOException {
    root = RepositoryRoot.find();
    plan =
        Files.readAllLines(root.resolve("deploy/kafka/topics.conf")).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.split("\\s+"))
            .toList();
  }

  @Test
  void planCoversExactlyTheTopicsOfTheEventCatalogue() throws IOException {
    String catalogue =
        Files.readString(root.resolve("schemas/src/main/java/dev/signet/events/Topics.java"));
    Set<String> catalogued = new TreeSet<>();
    Matcher matcher = TOPIC_NAME.matcher(catalogue);
    while (matcher.find()) {
      catalogued.add(matcher.group(1));
    }
    Set<String> planned = new TreeSet<>();
    plan.forEach(entry -> planned.add(entry[0]));

    assertThat(catalogued).as("topics in Topics.java").isNotEmpty();
    assertThat(planned).isEqualTo(catalogued);
  }

  @Test
  void everyEntryHasPartitionsACleanupPolicyAndARetentionThatFitsIt() {
    for (String[] entry : plan) {
      assertThat(entry)
          .as("%s: topic partitions cleanup retention dead-letter", entry[0])
          .hasSize(5);
      assertThat(Integer.parseInt(entry[1])).as("%s partitions", entry[0]).isPositive();
      assertThat(entry[2]).as("%s cleanup", entry[0]).isIn("delete", "compact");
      if (entry[2].equals("compact")) {
        assertThat(entry[3]).as("%s retention of a compacted topic", entry[0]).isEqualTo("-");
      } else {
        assertThat(Long.parseLong(entry[3])).as("%s retention.ms", entry[0]).isPositive();
      }
      assertThat(entry[4]).as("%s dead-letter", entry[0]).isIn("yes", "no");
    }
  }
}
