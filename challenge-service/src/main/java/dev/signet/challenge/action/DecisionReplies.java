package dev.signet.challenge.action;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.MatchedRule;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.platform.kafka.RecordTraces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The reply side of the decision request/reply over Kafka. Each instance has its own reply address
 * ({@link #replyTo()}, {@code challenge-service/<instance id>}) that goes into every {@code
 * ActionTracked} it publishes; rules-service copies it into the {@code ActionDecided} answer.
 *
 * <p>Every instance reads <em>all</em> partitions of {@code auth.action.decided.v1} by assignment
 * (no consumer group, so no rebalance pauses and no instance can be starved of the partition its
 * reply lands on), starting at the end, and completes only the requests it is waiting for: a record
 * with another {@code replyTo} is skipped. A decision for this instance that arrives when nobody
 * waits any more (after the deadline) goes to the late-decision handler. Partitions are re-read
 * every 10 s (every second while the topic does not exist yet), so a topic created or grown after
 * the start is picked up (from its beginning).
 */
@Component
class DecisionReplies implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DecisionReplies.class);
  private static final Duration REFRESH = Duration.ofSeconds(10);

  private final Map<String, Sinks.One<Decision>> pending = new ConcurrentHashMap<>();
  private final Map<String, Object> config;
  private final String replyTo;
  private final RecordTraces traces;
  private volatile Consumer<LateDecision> lateDecisions = late -> {};
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile Thread thread;
  private volatile boolean running;
  private volatile boolean ready;

  /** A decision for this instance that nobody waits for any more. */
  record LateDecision(
      String userId,
      String actionCode,
      String idempotencyKey,
      String requestEventId,
      Decision decision) {}

  DecisionReplies(
      KafkaProperties kafka, ActionProperties properties, ObjectProvider<RecordTraces> traces) {
    this.traces = traces.getIfAvailable(RecordTraces::none);
    String instance =
        properties.instanceId() == null || properties.instanceId().isBlank()
            ? UUID.randomUUID().toString()
            : properties.instanceId();
    this.replyTo = "challenge-service/" + instance;
    Map<String, Object> settings = kafka.buildConsumerProperties();
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "decision-replies-" + instance);
    settings.put("specific.avro.reader", "true");
    this.config = settings;
  }

  /** The reply address of this instance. */
  String replyTo() {
    return replyTo;
  }

  /** Whether the reader is positioned on every partition of the decision topic. */
  boolean ready() {
    return ready;
  }

  void onLateDecision(Consumer<LateDecision> handler) {
    this.lateDecisions = handler;
  }

  /**
   * Registers interest in the answer to the request with this event id; call before publishing the
   * request. The Mono gives the decision, or empty once {@code timeout} passed.
   */
  Mono<Optional<Decision>> await(String requestEventId, Duration timeout) {
    Sinks.One<Decision> sink = Sinks.one();
    pending.put(requestEventId, sink);
    return sink.asMono()
        .map(Optional::of)
        .timeout(timeout, Mono.just(Optional.empty()))
        .doFinally(signal -> pending.remove(requestEventId, sink));
  }

  /** Gives up waiting for a request that was never published. */
  void forget(String requestEventId) {
    pending.remove(requestEventId);
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "decision-replies");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5000);
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
      try (SignetAvroDeserializer avro = new SignetAvroDeserializer();
          KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(config)) {
        avro.configure(config, false);
        consumer = kafka;
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        while (running) {
          if (System.nanoTime() - nextRefresh >= 0) {
            assign(kafka, assigned);
            // Until the topic shows up (rules-service creates it), look again every second.
            nextRefresh =
                System.nanoTime()
                    + (assigned.isEmpty() ? Duration.ofSeconds(1) : REFRESH).toNanos();
          }
          if (assigned.isEmpty()) {
            kafka.poll(Duration.ofMillis(200));
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(200))) {
            handle(avro, record);
          }
        }
      } catch (WakeupException e) {
        // stop() asked us to leave the poll
      } catch (RuntimeException e) {
        ready = false;
        log.warn("decision reply reader failed, restarting reason={}", e.toString());
        sleepQuietly();
      } finally {
        consumer = null;
      }
    }
  }

  private void assign(KafkaConsumer<byte[], byte[]> kafka, Set<TopicPartition> assigned) {
    List<PartitionInfo> infos;
    try {
      infos = kafka.partitionsFor(Topics.ACTION_DECIDED.name(), Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      log.warn("decision topic metadata not available yet reason={}", e.toString());
      return;
    }
    if (infos == null || infos.isEmpty()) {
      return;
    }
    List<TopicPartition> added = new ArrayList<>();
    for (PartitionInfo info : infos) {
      TopicPartition partition = new TopicPartition(info.topic(), info.partition());
      if (!assigned.contains(partition)) {
        added.add(partition);
      }
    }
    if (added.isEmpty()) {
      return;
    }
    boolean first = assigned.isEmpty() && !ready;
    assigned.addAll(added);
    kafka.assign(assigned);
    if (first) {
      // Replies from before this start are not for us: our reply address is new.
      kafka.seekToEnd(added);
    } else {
      // A partition that appeared later may already hold answers to our requests.
      kafka.seekToBeginning(added);
    }
    added.forEach(kafka::position); // resolve now, so that "ready" means positioned
    ready = true;
    log.info(
        "decision replies reading topic={} partitions={} replyTo={}",
        Topics.ACTION_DECIDED.name(),
        assigned.size(),
        replyTo);
  }

  private void handle(SignetAvroDeserializer avro, ConsumerRecord<byte[], byte[]> record) {
    ActionDecided decided;
    try {
      decided = (ActionDecided) avro.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      log.warn(
          "unreadable decision skipped partition={} offset={} reason={}",
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    if (decided == null || !replyTo.equals(decided.getReplyTo())) {
      return;
    }
    // The reply's arrival, in the trace of the tracked action (rules-service's headers).
    traces.received(record, "decision-replies");
    Decision decision = toDecision(decided);
    Sinks.One<Decision> sink = pending.remove(decided.getRequestEventId());
    if (sink != null && sink.tryEmitValue(decision).isSuccess()) {
      return;
    }
    lateDecisions.accept(
        new LateDecision(
            decided.getUserId(),
            decided.getActionCode(),
            decided.getIdempotencyKey(),
            decided.getRequestEventId(),
            decision));
  }

  static Decision toDecision(ActionDecided decided) {
    Decision.Outcome outcome;
    try {
      outcome = Decision.Outcome.valueOf(decided.getDecision().name());
    } catch (IllegalArgumentException e) {
      outcome = Decision.Outcome.UNKNOWN;
    }
    List<ActionRule> rules = new ArrayList<>();
    for (MatchedRule rule : decided.getRules()) {
      rules.add(new ActionRule(rule.getRuleId(), rule.getName(), rule.getDescription()));
    }
    if (rules.isEmpty()) {
      for (String ruleId : decided.getRuleIds()) {
        rules.add(new ActionRule(ruleId, ruleId, null));
      }
    }
    return new Decision(outcome, rules, decided.getDefaultOutcome());
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
