package dev.signet.platform.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics a service produces, declared to Spring's {@link KafkaAdmin} so that a broker without
 * them (a test broker, a broker the topic plan was never applied to) gets them at start-up with the
 * catalogue's cleanup policy and retention. A broker that has them already keeps them as they are:
 * production applies the topic plan, with more partitions, before the services start, and the admin
 * never shrinks a topic nor changes its configs.
 */
public final class ProducedTopics {

  /** Partitions of a topic a service creates itself, enough for a few instances of a consumer. */
  public static final int PARTITIONS = 3;

  private ProducedTopics() {}

  /**
   * One bean for every topic in {@code topics}.
   *
   * @param name the topic's name
   * @param configs its Kafka topic configs ({@code cleanup.policy}, {@code retention.ms})
   */
  public static <T> KafkaAdmin.NewTopics declare(
      Collection<T> topics, Function<T, String> name, Function<T, Map<String, String>> configs) {
    return new KafkaAdmin.NewTopics(newTopics(topics, name, configs).toArray(NewTopic[]::new));
  }

  static <T> List<NewTopic> newTopics(
      Collection<T> topics, Function<T, String> name, Function<T, Map<String, String>> configs) {
    return topics.stream()
        .map(
            topic ->
                TopicBuilder.name(name.apply(topic))
                    .partitions(PARTITIONS)
                    .configs(configs.apply(topic))
                    .build())
        .toList();
  }
}
