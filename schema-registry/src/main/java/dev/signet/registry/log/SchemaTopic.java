package dev.signet.registry.log;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema log's topic, checked or created as Confluent does when it is missing: one partition,
 * compacted, replicated as far as the cluster allows. While Kafka cannot be reached yet (the
 * registry may start before the broker answers), it retries every second; that is expected while a
 * stack starts, so it logs at INFO and only warns once Kafka has been unusable for {@link
 * #WARN_AFTER}.
 */
final class SchemaTopic {

  private static final Logger log = LoggerFactory.getLogger(SchemaTopic.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  static final Duration WARN_AFTER = Duration.ofSeconds(30);

  private final String bootstrap;
  private final Map<String, String> clientProperties;
  private final String topic;
  private final int replicationFactor;

  SchemaTopic(
      String bootstrap, Map<String, String> clientProperties, String topic, int replicationFactor) {
    this.bootstrap = bootstrap;
    this.clientProperties = clientProperties;
    this.topic = topic;
    this.replicationFactor = replicationFactor;
  }

  /**
   * Retries until the topic is usable or {@code stopped} opens. Returns why the topic can never
   * serve as the log (it has more than one partition), or {@code null}.
   */
  String ensure(CountDownLatch stopped) {
    Admin admin = Admin.create(adminProperties());
    long since = System.nanoTime();
    try {
      while (stopped.getCount() > 0) {
        try {
          return checkOrCreate(admin);
        } catch (ExecutionException | TimeoutException e) {
          Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
          if (System.nanoTime() - since >= WARN_AFTER.toNanos()) {
            log.warn("Kafka at {} not usable yet ({}); retrying", bootstrap, cause.toString());
          } else {
            log.info("Kafka at {} not usable yet ({}); retrying", bootstrap, cause.toString());
          }
          stopped.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
    return null;
  }

  private String checkOrCreate(Admin admin)
      throws ExecutionException, TimeoutException, InterruptedException {
    try {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
      if (description.partitions().size() != 1) {
        String failure =
            "Topic "
                + topic
                + " has "
                + description.partitions().size()
                + " partitions; the schema log needs exactly one";
        log.error(failure);
        return failure;
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw e;
      }
      create(admin);
    }
    return null;
  }

  private void create(Admin admin)
      throws ExecutionException, TimeoutException, InterruptedException {
    int brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
    short factor = (short) Math.max(1, Math.min(replicationFactor, brokers));
    NewTopic newTopic =
        new NewTopic(topic, 1, factor)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(newTopic)).all().get(10, TimeUnit.SECONDS);
      log.info("Created topic {} (1 partition, compacted, replication {})", topic, factor);
    } catch (ExecutionException created) {
      if (!(created.getCause() instanceof TopicExistsException)) {
        throw created;
      }
    }
  }

  private Properties adminProperties() {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "signet-schema-registry-admin");
    properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return properties;
  }
}
