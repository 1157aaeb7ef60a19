package dev.signet.audit.ingest;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.audit.config.AuditProperties;
import dev.signet.audit.lag.ViewLag;
import dev.signet.audit.publish.ActivityPublisher;
import dev.signet.audit.view.AggregateBuilder;
import dev.signet.audit.view.ViewWriter;
import dev.signet.events.Topics;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.platform.kafka.RecordTraces;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Builds the views from every consumed topic, a batch at a time (one poll, up to {@code
 * max.poll.records}), so that a batch costs a handful of bulk writes instead of one round trip per
 * event. Values arrive as bytes and are decoded here: a record that does not decode (or decodes to
 * the wrong type) goes to {@code <topic>.dlt} with its original bytes at once, without retries, and
 * the rest of the batch is applied. Infrastructure failures (MongoDB away) throw, and the
 * container's error handler retries the whole batch with back-off; applying a batch twice changes
 * nothing.
 */
@Component
class ViewBuilderListener {

  private static final Logger log = LoggerFactory.getLogger(ViewBuilderListener.class);
  static final String DLT_REASON_HEADER = "signet-dlt-reason";

  private final RecordTraces traces;
  private final SignetAvroDeserializer deserializer;
  private final EventNormaliser normaliser;
  private final ViewWriter writer;
  private final AggregateBuilder aggregates;
  private final ActivityPublisher publisher;
  private final ViewLag lag;
  private final KafkaTemplate<String, byte[]> deadLetters;
  private final Clock clock;
  private final AuditProperties properties;

  ViewBuilderListener(
      SignetAvroDeserializer auditDeserializer,
      PhoneHasher phones,
      ViewWriter writer,
      AggregateBuilder aggregates,
      ActivityPublisher publisher,
      ViewLag lag,
      KafkaTemplate<String, byte[]> deadLetterTemplate,
      Clock clock,
      AuditProperties properties,
      ObjectProvider<RecordTraces> traces) {
    this.traces = traces.getIfAvailable(RecordTraces::none);
    this.deserializer = auditDeserializer;
    this.normaliser = new EventNormaliser(phones);
    this.writer = writer;
    this.aggregates = aggregates;
    this.publisher = publisher;
    this.lag = lag;
    this.deadLetters = deadLetterTemplate;
    this.clock = clock;
    this.properties = properties;
  }

  @KafkaListener(
      id = "audit-views",
      idIsGroup = false,
      batch = "true",
      concurrency = "#{__listener.concurrency()}",
      topics = "#{@auditConsumedTopics.array()}")
  void onBatch(List<ConsumerRecord<String, byte[]>> records)
      throws ExecutionException, InterruptedException, TimeoutException {
    Instant cutoff = clock.instant().minus(properties.retention());
    List<Activity> activities = new ArrayList<>(records.size());
    List<ConsumerRecord<String, byte[]>> applied = new ArrayList<>(records.size());
    List<CompletableFuture<?>> deadLettered = new ArrayList<>();
    Map<String, Long> expired = new HashMap<>();
    Map<String, Long> empty = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        empty.merge(record.topic(), 1L, Long::sum);
        continue;
      }
      Activity activity;
      try {
        activity = activity(record);
      } catch (RuntimeException e) {
        deadLettered.add(deadLetter(record, e));
        continue;
      }
      if (activity.occurredAt().isBefore(cutoff)) {
        expired.merge(record.topic(), 1L, Long::sum);
        continue;
      }
      activities.add(activity);
      applied.add(record);
    }
    for (CompletableFuture<?> sent : deadLettered) {
      sent.get(10, TimeUnit.SECONDS);
    }
    ViewWriter.Applied result = writer.apply(activities);
    // Each applied event's arrival in the views, a span of the trace it was published in.
    applied.forEach(record -> traces.received(record, "audit-views"));
    aggregates.markDirty(result.bucketHours());
    if (result.inserted() > 0) {
      publisher.nudge();
    }
    for (int i = 0; i < applied.size(); i++) {
      ConsumerRecord<String, byte[]> record = applied.get(i);
      lag.applied(record.topic(), record.timestamp(), activities.get(i).occurredAt());
    }
    Map<String, Long> perTopic = new HashMap<>();
    applied.forEach(r -> perTopic.merge(r.topic(), 1L, Long::sum));
    perTopic.forEach((topic, n) -> lag.count(topic, "applied", n));
    expired.forEach((topic, n) -> lag.count(topic, "expired", n));
    empty.forEach((topic, n) -> lag.count(topic, "empty", n));
    if (log.isDebugEnabled()) {
      log.debug(
          "views applied records={} new={} duplicates={} deadLettered={}",
          records.size(),
          result.inserted(),
          activities.size() - result.inserted(),
          deadLettered.size());
    }
  }

  private Activity activity(ConsumerRecord<String, byte[]> record) {
    Object event = deserializer.deserialize(record.topic(), record.value());
    Class<?> expected =
        Topics.byName(record.topic())
            .orElseThrow(() -> new IllegalArgumentException("unknown topic " + record.topic()))
            .valueType();
    if (!expected.isInstance(event)) {
      throw new IllegalArgumentException(
          "expected "
              + expected.getSimpleName()
              + " on "
              + record.topic()
              + " but decoded "
              + (event == null ? "null" : event.getClass().getSimpleName()));
    }
    String fallbackId =
        "kafka:" + record.topic() + ":" + record.partition() + ":" + record.offset();
    return normaliser.normalise(record.topic(), event, fallbackId, RecordTraces.traceId(record));
  }

  /** The listener threads, from {@code signet.audit.consumer-concurrency}. */
  public String concurrency() {
    return Integer.toString(properties.consumerConcurrency());
  }

  private CompletableFuture<?> deadLetter(ConsumerRecord<String, byte[]> record, Exception e) {
    log.warn(
        "undecodable record to dead-letter topic topic={} partition={} offset={} reason={}",
        record.topic(),
        record.partition(),
        record.offset(),
        e.getClass().getSimpleName());
    lag.count(record.topic(), "dead-lettered", 1);
    ProducerRecord<String, byte[]> out =
        new ProducerRecord<>(Topics.dlt(record.topic()), record.key(), record.value());
    record.headers().forEach(h -> out.headers().add(h));
    String reason = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
    out.headers()
        .add(
            DLT_REASON_HEADER,
            reason.substring(0, Math.min(reason.length(), 500)).getBytes(StandardCharsets.UTF_8));
    out.headers().add("signet-dlt-original-topic", record.topic().getBytes(StandardCharsets.UTF_8));
    out.headers()
        .add(
            "signet-dlt-original-offset",
            (record.partition() + ":" + record.offset()).getBytes(StandardCharsets.UTF_8));
    return deadLetters.send(out);
  }
}
