package dev.signet.e2e.rules;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.events.serde.SignetAvroSerializer;
import dev.signet.testsupport.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Decision latency of rules-service on a running stack (docs/benchmarks/rules-decisions.md):
 * produces {@code ActionTracked} at a fixed rate (paced, open model: a late answer never delays the
 * next request) for 200 users on 7 devices, and times produce → {@code ActionDecided} received. Not
 * a test: run with {@code java -cp ... RulesLatencyProbe <stack.json> <action> <seconds> <rate>/s
 * [...more rates]}; it reads the broker, the registry and the Kafka credentials from the stack
 * description (it writes as challenge-service and reads as the admin).
 */
public final class RulesLatencyProbe {

  private RulesLatencyProbe() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.signet.events");
    // args[0] is the stack.json in the stack's data directory.
    LocalStack stack = LocalStack.attach(Path.of(args[0]).toAbsolutePath().getParent());
    String registry = stack.url("registry");
    String writer = stack.registryWriterUserInfo();
    String action = args[1];
    int seconds = Integer.parseInt(args[2]);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<long[]> results = Collections.synchronizedList(new ArrayList<>());
    Thread reader = reader(stack.kafkaClient("admin"), registry, sentAt, results);
    Properties p = new Properties();
    p.putAll(stack.kafkaClient("challenge-service"));
    p.put("basic.auth.credentials.source", "USER_INFO");
    p.put("basic.auth.user.info", writer);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put("schema.registry.url", registry);
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p)) {
      // Warm-up: registry lookups, connections, JIT of the service.
      run(producer, action, 20, 10, sentAt);
      LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
      results.clear();
      for (int i = 3; i < args.length; i++) {
        int rate = Integer.parseInt(args[i]);
        results.clear();
        run(producer, action, rate, seconds, sentAt);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (results.size() < rate * seconds && System.nanoTime() < deadline) {
          LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        report(rate, rate * seconds, results);
        LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
      }
    }
    reader.interrupt();
  }

  private static void run(
      KafkaProducer<String, Object> producer,
      String action,
      int rate,
      int seconds,
      Map<String, Long> sentAt) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < rate * seconds; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      ActionTracked tracked = tracked(action);
      sentAt.put(tracked.getEventId(), System.nanoTime());
      producer.send(
          new ProducerRecord<>(Topics.ACTION_TRACKED.name(), tracked.getUserId(), tracked));
    }
    producer.flush();
  }

  private static ActionTracked tracked(String action) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Map<String, Object> custom = new HashMap<>();
    custom.put("amount", (long) random.nextInt(5000));
    return ActionTracked.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("probe")
        .setUserId("probe-user-" + random.nextInt(200))
        .setActionCode(action)
        .setIdempotencyKey(UUID.randomUUID().toString())
        .setReplyTo("probe")
        .setDecisionDeadline(Instant.now().plusSeconds(5))
        .setIpAddress("203.0.113." + random.nextInt(255))
        .setUserAgent("probe")
        .setDeviceId("dev-" + random.nextInt(7))
        .setCustom(custom)
        .setIsEnrolled(true)
        .setEnrolledVerificationMethods(List.of("SMS"))
        .setPhoneCountryCode("GB")
        .build();
  }

  private static Thread reader(
      Map<String, Object> client, String registry, Map<String, Long> sentAt, List<long[]> results) {
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SignetAvroDeserializer.class.getName());
    c.put("schema.registry.url", registry);
    c.put("specific.avro.reader", "true");
    KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(c);
    consumer.subscribe(List.of(Topics.ACTION_DECIDED.name()));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    Thread thread =
        new Thread(
            () -> {
              try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                  for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    ActionDecided d = (ActionDecided) r.value();
                    Long sent = sentAt.remove(d.getRequestEventId());
                    if (sent != null) {
                      results.add(new long[] {now - sent, d.getEvaluationMillis()});
                    }
                  }
                }
              } catch (org.apache.kafka.common.errors.InterruptException e) {
                // stopping
              }
            },
            "probe-reader");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void report(int rate, int expected, List<long[]> results) {
    List<long[]> copy;
    synchronized (results) {
      copy = new ArrayList<>(results);
    }
    long[] latency = copy.stream().mapToLong(r -> r[0]).sorted().toArray();
    long[] evaluation = copy.stream().mapToLong(r -> r[1]).sorted().toArray();
    System.out.printf(
        "rate=%d/s decided=%d/%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms"
            + " evaluationMillis p50=%d p99=%d%n",
        rate,
        latency.length,
        expected,
        pct(latency, 50) / 1e6,
        pct(latency, 90) / 1e6,
        pct(latency, 99) / 1e6,
        latency.length == 0 ? 0 : latency[latency.length - 1] / 1e6,
        pct(evaluation, 50),
        pct(evaluation, 99));
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
