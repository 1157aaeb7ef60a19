package dev.signet.registry.log;

import dev.signet.registry.schema.SchemaLog;
import dev.signet.registry.schema.SchemaLogException;
import dev.signet.registry.schema.SchemaLogListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema log on a compacted single-partition Kafka topic, as Confluent keeps it. One reader
 * thread reads the topic from the beginning into the registry state and keeps following it; a write
 * is acknowledged only when that thread has read it back, so the answer to a request always
 * reflects the log.
 */
public final class KafkaSchemaLog implements SchemaLog {

  private static final Logger log = LoggerFactory.getLogger(KafkaSchemaLog.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final String bootstrap;

  /** Security settings of every client of the log (SASL as the registry's own principal). */
  private final Map<String, String> clientProperties;

  private final String topic;
  private final TopicPartition partition;
  private final int replicationFactor;
  private final Duration writeTimeout;
  private final SchemaLogListener listener;

  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> readBackWaiters =
      new ConcurrentSkipListMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile long position = -1;
  private volatile String failure;
  private volatile KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> producer;
  private Thread reader;

  public KafkaSchemaLog(
      String bootstrap,
      String topic,
      int replicationFactor,
      Duration writeTimeout,
      Map<String, String> clientProperties,
      SchemaLogListener listener) {
    this.bootstrap = bootstrap;
    this.clientProperties = Map.copyOf(clientProperties);
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.replicationFactor = replicationFactor;
    this.writeTimeout = writeTimeout;
    this.listener = listener;
  }

  /** Starts reading the topic in the background; {@link #caughtUp()} completes at its end. */
  public void start() {
    producer = new KafkaProducer<>(producerProperties());
    reader = new Thread(this::readForever, "schemas-log-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public void stop() throws InterruptedException {
    stopped.countDown();
    KafkaConsumer<String, String> current = consumer;
    if (current != null) {
      current.wakeup();
    } else if (reader != null) {
      // Unblocks a reader still waiting for an unreachable broker to create the topic.
      reader.interrupt();
    }
    if (reader != null) {
      reader.join(Duration.ofSeconds(10).toMillis());
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Completes once the topic has been read up to the end it had at start-up. */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp.copy();
  }

  public boolean isCaughtUp() {
    return caughtUp.isDone() && failure == null;
  }

  /** Why the log cannot be used, or {@code null}. */
  public String failure() {
    return failure;
  }

  public String topic() {
    return topic;
  }

  @Override
  public void append(String key, String value) {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    try {
      RecordMetadata written =
          producer
              .send(new ProducerRecord<>(topic, 0, key, value))
              .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      awaitReadBack(written.offset()).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new SchemaLogException("Write to " + topic + " timed out", e, true);
    } catch (ExecutionException e) {
      throw new SchemaLogException("Write to " + topic + " failed", e.getCause(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaLogException("Interrupted while writing to " + topic, e, false);
    }
  }

  private CompletableFuture<Void> awaitReadBack(long offset) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    readBackWaiters.put(offset, waiter);
    // The reader may have passed the offset before the waiter was registered.
    if (position > offset) {
      readBackWaiters.remove(offset);
      waiter.complete(null);
    }
    return waiter;
  }

  private void readForever() {
    try {
      String unusable =
          new SchemaTopic(bootstrap, clientProperties, topic, replicationFactor).ensure(stopped);
      if (unusable != null) {
        failure = unusable;
      }
      if (failure != null || stopped.getCount() == 0) {
        return;
      }
      KafkaConsumer<String, String> created = new KafkaConsumer<>(consumerProperties());
      try {
        consumer = created;
        created.assign(List.of(partition));
        created.seekToBeginning(List.of(partition));
        long end = endOffset(created);
        log.info("Reading topic {} up to offset {}", topic, end);
        long records = 0;
        while (stopped.getCount() > 0) {
          for (ConsumerRecord<String, String> record : created.poll(POLL)) {
            apply(record);
            records++;
          }
          position = created.position(partition);
          readBackWaiters.headMap(position).values().forEach(w -> w.complete(null));
          readBackWaiters.headMap(position).clear();
          if (!caughtUp.isDone() && position >= end) {
            log.info("Read {} records of topic {}; registry is ready", records, topic);
            caughtUp.complete(null);
          }
        }
      } finally {
        // Bounded: the default close waits up to 30 s for the broker.
        created.close(CloseOptions.timeout(Duration.ofSeconds(1)));
      }
    } catch (WakeupException e) {
      log.debug("Reader of topic {} stopped", topic);
    } catch (RuntimeException e) {
      if (stopped.getCount() == 0) {
        log.debug("Reader of topic {} stopped", topic);
        return;
      }
      failure = "Reading topic " + topic + " failed: " + e.getMessage();
      log.error("Reading topic {} failed", topic, e);
    }
  }

  private void apply(ConsumerRecord<String, String> record) {
    if (record.key() == null) {
      return;
    }
    try {
      listener.onRecord(record.key(), record.value());
    } catch (RuntimeException e) {
      // One bad record written by another tool must not stop the registry.
      log.warn(
          "Skipping record at offset {} of topic {}: {}", record.offset(), topic, e.toString());
    }
  }

  private long endOffset(KafkaConsumer<String, String> created) {
    long since = System.nanoTime();
    while (stopped.getCount() > 0) {
      try {
        return created.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        if (System.nanoTime() - since >= SchemaTopic.WARN_AFTER.toNanos()) {
          log.warn("Kafka at {} did not answer end offsets of {}; retrying", bootstrap, topic);
        } else {
          log.info("Kafka at {} did not answer end offsets of {}; retrying", bootstrap, topic);
        }
      }
    }
    throw new WakeupException();
  }

  private Properties producerProperties() {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, "signet-schema-registry-writer");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, writeTimeout.toMillis());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return properties;
  }

  private Properties consumerProperties() {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "signet-schema-registry-reader");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return properties;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
