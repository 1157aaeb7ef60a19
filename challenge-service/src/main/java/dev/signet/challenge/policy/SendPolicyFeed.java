package dev.signet.challenge.policy;

import dev.signet.events.Topics;
import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.serde.SignetAvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads the compacted {@code auth.policy.send-policy.v1} into {@link SendPolicies}. Every instance
 * must see every record, so there is no consumer group: the consumer assigns itself every partition
 * and reads from the beginning at each start (the topic holds one small record per policy after
 * compaction), then follows it. Partitions that appear later are picked up; an unreadable record is
 * skipped with a warning (the next version replaces the policy anyway).
 */
@Component
class SendPolicyFeed implements SmartLifecycle {

  static final String GLOBAL = "global";
  private static final Logger log = LoggerFactory.getLogger(SendPolicyFeed.class);
  private static final Duration REFRESH = Duration.ofSeconds(10);

  private final SendPolicies policies;
  private final Properties config;
  private volatile boolean running;
  private volatile KafkaConsumer<String, SendPolicyUpdated> consumer;
  private Thread thread;

  SendPolicyFeed(SendPolicies policies, KafkaProperties kafka) {
    this.policies = policies;
    Properties c = new Properties();
    // Boot's settings: bootstrap servers, SASL credentials, the registry and its credentials.
    c.putAll(kafka.buildConsumerProperties());
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "challenge-service-send-policy");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SignetAvroDeserializer.class.getName());
    c.put("specific.avro.reader", "true");
    this.config = c;
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = new Thread(this::run, "send-policy-feed");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    KafkaConsumer<String, SendPolicyUpdated> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<String, SendPolicyUpdated> c = new KafkaConsumer<>(config)) {
        consumer = c;
        follow(c);
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("send policy feed restarting after {}", e.toString());
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
      }
    }
  }

  private void follow(KafkaConsumer<String, SendPolicyUpdated> c) {
    Set<TopicPartition> assigned = new HashSet<>();
    long nextRefresh = 0;
    while (running) {
      if (System.nanoTime() - nextRefresh >= 0) {
        assignNewPartitions(c, assigned);
        nextRefresh = System.nanoTime() + REFRESH.toNanos();
      }
      if (assigned.isEmpty()) {
        // The topic does not exist yet (rules-service creates it): look again shortly.
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        nextRefresh = 0;
        continue;
      }
      try {
        for (ConsumerRecord<String, SendPolicyUpdated> record : c.poll(Duration.ofMillis(500))) {
          accept(record.key(), record.value());
        }
      } catch (RecordDeserializationException e) {
        log.warn(
            "unreadable send policy record skipped partition={} offset={}",
            e.topicPartition(),
            e.offset());
        c.seek(e.topicPartition(), e.offset() + 1);
      }
    }
  }

  private void assignNewPartitions(
      KafkaConsumer<String, SendPolicyUpdated> c, Set<TopicPartition> assigned) {
    List<PartitionInfo> partitions;
    try {
      partitions = c.partitionsFor(Topics.SEND_POLICY.name(), Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return;
    }
    if (partitions == null) {
      return;
    }
    Set<TopicPartition> added = new HashSet<>();
    for (PartitionInfo p : partitions) {
      TopicPartition tp = new TopicPartition(p.topic(), p.partition());
      if (!assigned.contains(tp)) {
        added.add(tp);
      }
    }
    if (added.isEmpty()) {
      return;
    }
    assigned.addAll(added);
    c.assign(assigned);
    c.seekToBeginning(added);
  }

  void accept(String key, SendPolicyUpdated event) {
    String policyId = event != null && !event.getPolicyId().isEmpty() ? event.getPolicyId() : key;
    if (!GLOBAL.equals(policyId)) {
      return; // only the platform-wide policy applies here
    }
    if (event == null) {
      policies.clear();
      return;
    }
    policies.apply(toPolicy(event));
  }

  static SendPolicy toPolicy(SendPolicyUpdated event) {
    return new SendPolicy(
        event.getVersion(),
        Set.copyOf(event.getAllowedCountries()),
        event.getShadowMode(),
        blocks(event.getBlockedPrefixes()),
        blocks(event.getBlockedCountries()));
  }

  private static List<SendPolicy.Block> blocks(List<BlockedDestination> blocks) {
    return blocks.stream()
        .map(
            b ->
                new SendPolicy.Block(
                    b.getValue(),
                    b.getReason(),
                    b.getUntil() == null || b.getUntil().equals(Instant.EPOCH)
                        ? null
                        : b.getUntil()))
        .toList();
  }
}
