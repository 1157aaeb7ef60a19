package dev.signet.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A background consumer of some topics from their beginning, decoding with the project's serde, so
 * a test can assert on what a service published. Its own consumer group: it never takes records
 * from the service under test.
 */
public final class EventLog implements AutoCloseable {

  private final ConcurrentLinkedQueue<ConsumerRecord<String, Object>> records =
      new ConcurrentLinkedQueue<>();

  private volatile boolean closed;

  private EventLog() {}

  static EventLog start(
      String name, String bootstrapServers, String registryUrl, List<String> topics) {
    Properties config =
        AvroClients.consumer(name + "-" + UUID.randomUUID(), bootstrapServers, registryUrl);
    EventLog log = new EventLog();
    Thread thread =
        new Thread(
            () -> {
              try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(topics);
                while (!log.closed && !Thread.currentThread().isInterrupted()) {
                  consumer.poll(Duration.ofMillis(200)).forEach(log.records::add);
                }
              }
            },
            name + "-events");
    thread.setDaemon(true);
    thread.start();
    return log;
  }

  /**
   * Records with this key on this topic, in arrival order, deduplicated on the event id like every
   * consumer does: delivery is at least once (a publish that outlived its deadline is repeated by
   * the relay).
   */
  public <T> List<T> of(String topic, String key, Class<T> type) {
    List<T> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, Object> record : records) {
      if (record.topic().equals(topic) && key.equals(record.key())) {
        SpecificRecord value = (SpecificRecord) record.value();
        Object eventId = value.get(value.getSchema().getField("eventId").pos());
        if (seen.add(String.valueOf(eventId))) {
          out.add(type.cast(value));
        }
      }
    }
    return out;
  }

  /** Every record of one type whose key is {@code key}, duplicates included, in arrival order. */
  public <T extends SpecificRecord> List<T> records(Class<T> type, String key) {
    return records.stream()
        .filter(r -> key.equals(r.key()) && type.isInstance(r.value()))
        .map(r -> type.cast(r.value()))
        .toList();
  }

  /** Stops reading (within one poll); what was read stays. */
  @Override
  public void close() {
    closed = true;
  }

  /** Everything read so far, in arrival order. */
  public List<ConsumerRecord<String, Object>> all() {
    return List.copyOf(records);
  }
}
