package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka access plan (deploy/kafka/acls.conf), which both the local stack and docker-compose
 * apply, against the event catalogue: each topic is written by its producer alone, a dead letter by
 * the consumers of its topic alone, the external consumer writes nothing and reads only the topics
 * docs/events.md lists for other systems, and every principal's groups carry its own name.
 */
class KafkaAccessPlanTest {

  private static final Set<String> SERVICES =
      Set.of(
          "challenge-service",
          "rules-service",
          "sms-dispatcher",
          "audit-service",
          "schema-registry");
  private static final String EXTERNAL = "external-consumer";

  /** One line of the plan. */
  record Grant(String principal, String operation, String resource, String pattern, String name) {}

  private static Path root;
  private static List<Grant> plan;

  @BeforeAll
  static void readPlan() throws IOException {
    root = RepositoryRoot.find();
    plan =
        Files.readAllLines(root.resolve("deploy/kafka/acls.conf")).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.split("\\s+"))
            .peek(f -> assertThat(f).as(String.join(" ", f)).hasSize(5))
            .map(f -> new Grant(f[0], f[1], f[2], f[3], f[4]))
            .toList();
  }

  private static Set<String> topics(String principal, String operation) {
    return plan.stream()
        .filter(g -> g.principal().equals(principal) && g.operation().equals(operation))
        .filter(g -> g.resource().equals("topic"))
        .map(Grant::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void onlyKnownPrincipalsOperationsAndLiteralTopicsAppear() {
    for (Grant g : plan) {
      assertThat(SERVICES.contains(g.principal()) || g.principal().equals(EXTERNAL))
          .as("principal of %s", g)
          .isTrue();
      assertThat(g.operation()).as("%s", g).isIn("Read", "Write", "Create", "DescribeConfigs");
      assertThat(g.resource()).as("%s", g).isIn("topic", "group");
      if (g.resource().equals("topic")) {
        assertThat(g.pattern()).as("topics are granted by name: %s", g).isEqualTo("literal");
      }
    }
  }

  @Test
  void everyTopicIsWrittenByItsProducerAlone() {
    for (Topics.Topic topic : Topics.all()) {
      Set<String> writers =
          plan.stream()
              .filter(g -> g.name().equals(topic.name()) && g.resource().equals("topic"))
              .filter(g -> g.operation().equals("Write"))
              .map(Grant::principal)
              .collect(Collectors.toSet());
      assertThat(writers).as("writers of %s", topic.name()).containsExactly(topic.producer());
    }
  }

  @Test
  void aDeadLetterIsWrittenOnlyByAConsumerOfItsTopic() {
    for (Grant g : plan) {
      if (g.operation().equals("Write") && g.name().endsWith(Topics.DLT_SUFFIX)) {
        String original = g.name().substring(0, g.name().length() - Topics.DLT_SUFFIX.length());
        assertThat(topics(g.principal(), "Read"))
            .as("%s writes %s", g.principal(), g.name())
            .contains(original);
      }
    }
  }

  @Test
  void servicesReadOnlyTopicsTheCatalogueNamesThemConsumersOf() {
    for (Grant g : plan) {
      if (g.operation().equals("Read")
          && g.resource().equals("topic")
          && !g.principal().equals(EXTERNAL)
          && !g.name().equals("_schemas")) {
        Topics.Topic topic =
            Topics.byName(g.name()).orElseThrow(() -> new AssertionError("unknown topic " + g));
        assertThat(topic.consumers()).as("consumers of %s", g.name()).contains(g.principal());
      }
    }
    // audit-service reads every topic the catalogue names it a consumer of: the views read them
    // all but its own audit topic, which its webhooks read.
    Set<String> auditConsumes =
        Topics.all().stream()
            .filter(t -> t.consumers().contains("audit-service"))
            .map(Topics.Topic::name)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(topics("audit-service", "Read")).isEqualTo(auditConsumes);
  }

  @Test
  void theExternalConsumerWritesNothingAndReadsOnlyTheTopicsDocumentedForOtherSystems()
      throws IOException {
    assertThat(plan.stream().filter(g -> g.principal().equals(EXTERNAL)))
        .allSatisfy(g -> assertThat(g.operation()).isEqualTo("Read"));
    Set<String> reads = topics(EXTERNAL, "Read");
    assertThat(reads)
        .contains(Topics.AUDIT_ACTIVITY.name())
        .doesNotContain(
            Topics.CHALLENGE_REQUESTED.name(),
            Topics.SEND_POLICY.name(),
            Topics.ACTION_TRACKED.name(),
            "_schemas");

    String events = Files.readString(root.resolve("docs/events.md"));
    int start = events.indexOf("## Topics for other systems");
    assertThat(start).as("docs/events.md has a section \"Topics for other systems\"").isPositive();
    int end = events.indexOf("\n## ", start + 1);
    String section = events.substring(start, end < 0 ? events.length() : end);
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("^\\| `(auth\\.[a-z0-9.-]+)`", Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented).isEqualTo(reads);
  }

  @Test
  void consumerGroupsAreGrantedByTheirOwnersPrefix() {
    for (Grant g : plan) {
      if (g.resource().equals("group")) {
        assertThat(g.pattern()).as("%s", g).isEqualTo("prefixed");
        assertThat(g.operation()).as("%s", g).isEqualTo("Read");
        String expected = g.principal().equals(EXTERNAL) ? "external-" : g.principal();
        assertThat(g.name()).as("%s", g).isEqualTo(expected);
      }
    }
  }
}
