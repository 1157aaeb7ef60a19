package dev.signet.localstack.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the topics of the topic plan that do not exist yet, each with its dead-letter topic. */
final class TopicSetup {

  private static final long DEAD_LETTER_RETENTION_MS = Duration.ofDays(30).toMillis();

  private TopicSetup() {}

  /**
   * How the topics are created: at most {@code maxPartitions} partitions, {@code replicas} copies,
   * and writes with {@code acks=all} acknowledged once {@code minInSync} copies have them.
   */
  record Replication(int maxPartitions, short replicas, int minInSync) {}

  static int createTopics(
      Admin admin, List<KafkaAccessSetup.PlannedTopic> plan, Replication replication)
      throws Exception {
    int maxPartitions = replication.maxPartitions();
    short replicas = replication.replicas();
    String minInSync = Integer.toString(replication.minInSync());
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (KafkaAccessSetup.PlannedTopic t : plan) {
      int partitions = Math.min(t.partitions(), maxPartitions);
      Map<String, String> configs = new LinkedHashMap<>();
      configs.put("cleanup.policy", t.cleanup());
      configs.put("min.insync.replicas", minInSync);
      if (!t.retentionMs().equals("-")) {
        configs.put("retention.ms", t.retentionMs());
      }
      if (!existing.contains(t.name())) {
        missing.add(new NewTopic(t.name(), partitions, replicas).configs(configs));
      }
      String dlt = t.name() + ".dlt";
      if (t.deadLetter() && !existing.contains(dlt)) {
        missing.add(
            new NewTopic(dlt, partitions, replicas)
                .configs(
                    Map.of(
                        "cleanup.policy",
                        "delete",
                        "retention.ms",
                        Long.toString(DEAD_LETTER_RETENTION_MS),
                        "min.insync.replicas",
                        minInSync)));
      }
    }
    if (!missing.isEmpty()) {
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
    }
    return missing.size();
  }
}
