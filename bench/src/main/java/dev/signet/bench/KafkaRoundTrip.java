package dev.signet.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The messaging ceiling: an idempotent producer ({@code acks=all}) and a consumer on a fresh
 * one-partition topic of the stack's own broker. Each operation completes when the consumer has
 * read the record back, so its latency is one produce→consume round trip, the hop every challenge
 * takes from challenge-service to sms-dispatcher.
 */
final class KafkaRoundTrip implements AutoCloseable {

  /** About the size of a challenge-requested event on the wire. */
  private static final int RECORD_BYTES = 300;

  private final String topic;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Thread poller;
  private volatile boolean running = true;

  /**
   * {@code client}: bootstrap servers and credentials (the stack's admin, who may create topics).
   */
  KafkaRoundTrip(Map<String, Object> client, String topic) throws Exception {
    this.topic = topic;
    this.admin = Admin.create(client);
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(p);
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    CountDownLatch ready = new CountDownLatch(1);
    this.poller =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                ready.countDown();
                while (running) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long id = ByteBuffer.wrap(r.value()).getLong();
                    CompletableFuture<String> f = pending.remove(id);
                    if (f != null) {
                      f.complete(Ledger.OK);
                    }
                  }
                }
              }
            },
            "kafka-ceiling-consumer");
    poller.setDaemon(true);
    poller.start();
    if (!ready.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Kafka ceiling consumer did not get its position");
    }
  }

  CompletableFuture<String> roundTrip() {
    long id = ids.incrementAndGet();
    CompletableFuture<String> f = new CompletableFuture<>();
    pending.put(id, f);
    byte[] value = ByteBuffer.allocate(RECORD_BYTES).putLong(id).array();
    producer.send(
        new ProducerRecord<>(topic, Long.toString(id).getBytes(), value),
        (metadata, failure) -> {
          if (failure != null) {
            pending.remove(id);
            f.completeExceptionally(failure);
          }
        });
    return f;
  }

  @Override
  public void close() throws Exception {
    running = false;
    poller.join(5_000);
    producer.close(Duration.ofSeconds(5));
    admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    admin.close(Duration.ofSeconds(5));
  }
}
