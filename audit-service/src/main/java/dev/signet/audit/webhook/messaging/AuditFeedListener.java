package dev.signet.audit.webhook.messaging;

import dev.signet.audit.webhook.WebhookIntake;
import dev.signet.audit.webhook.WebhookProperties;
import dev.signet.audit.webhook.domain.ActivityData;
import dev.signet.audit.webhook.domain.AuditEvent;
import dev.signet.events.Topics;
import dev.signet.events.audit.AuditActivity;
import dev.signet.events.serde.SignetAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Feeds webhooks from the audit topic, the same feed the views publish, so a webhook never carries
 * an event the views do not hold. A consumer group of its own ({@code
 * signet.webhooks.consumer-group}) reads batches and hands them to {@link WebhookIntake}; the
 * offsets are committed after the deliveries are stored. A record that does not decode goes to
 * {@code auth.audit.activity.v1.dlt} at once; other failures retry the batch with the service's
 * back-off.
 */
@Component
@ConditionalOnProperty(
    name = "signet.webhooks.enabled",
    havingValue = "true",
    matchIfMissing = true)
class AuditFeedListener {

  private static final Logger log = LoggerFactory.getLogger(AuditFeedListener.class);

  private final SignetAvroDeserializer deserializer;
  private final WebhookIntake intake;
  private final KafkaTemplate<String, byte[]> deadLetters;
  private final WebhookProperties properties;

  AuditFeedListener(
      SignetAvroDeserializer auditDeserializer,
      WebhookIntake intake,
      KafkaTemplate<String, byte[]> deadLetterTemplate,
      WebhookProperties properties) {
    this.deserializer = auditDeserializer;
    this.intake = intake;
    this.deadLetters = deadLetterTemplate;
    this.properties = properties;
  }

  /** The consumer group, from {@code signet.webhooks.consumer-group}. */
  public String groupId() {
    return properties.consumerGroup();
  }

  @KafkaListener(
      id = "audit-webhooks",
      groupId = "#{__listener.groupId()}",
      batch = "true",
      topics = "#{T(dev.signet.events.Topics).AUDIT_ACTIVITY.name()}",
      // A new group starts at the beginning: only endpoints registered before a record was
      // published receive it, so reading old records queues nothing.
      properties = {"auto.offset.reset=earliest"})
  void onBatch(List<ConsumerRecord<String, byte[]>> records)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<AuditEvent> events = new ArrayList<>(records.size());
    List<CompletableFuture<?>> deadLettered = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        continue;
      }
      try {
        events.add(event(record));
      } catch (RuntimeException e) {
        deadLettered.add(deadLetter(record, e));
      }
    }
    for (CompletableFuture<?> sent : deadLettered) {
      sent.get(10, TimeUnit.SECONDS);
    }
    intake.accept(events);
  }

  private AuditEvent event(ConsumerRecord<String, byte[]> record) {
    Object decoded = deserializer.deserialize(record.topic(), record.value());
    if (!(decoded instanceof AuditActivity a)) {
      throw new IllegalArgumentException(
          "expected AuditActivity but decoded "
              + (decoded == null ? "null" : decoded.getClass().getSimpleName()));
    }
    String eventId = a.getEventId().isBlank() ? a.getActivityId() : a.getEventId();
    if (eventId.isBlank()) {
      throw new IllegalArgumentException("an audit event without eventId and activityId");
    }
    Map<String, String> attributes = new TreeMap<>();
    a.getAttributes().forEach((k, v) -> attributes.put(k.toString(), String.valueOf(v)));
    ActivityData data =
        new ActivityData(
            a.getActivityId(),
            a.getType(),
            a.getCategory().name(),
            a.getOutcome().name(),
            a.getSeverity().name(),
            a.getSummary(),
            a.getOccurredAt().toString(),
            a.getCorrelationId(),
            a.getUserId(),
            a.getChallengeId(),
            a.getActionCode(),
            a.getIdempotencyKey(),
            a.getUserAuthenticatorId(),
            a.getPhoneNumberMasked(),
            a.getCountryCode(),
            a.getIpAddress(),
            a.getTestTraffic(),
            a.getSourceTopic(),
            a.getSourceEventId(),
            attributes);
    Instant occurredAt = a.getOccurredAt();
    return new AuditEvent(
        eventId, a.getType(), occurredAt, Instant.ofEpochMilli(record.timestamp()), data);
  }

  private CompletableFuture<?> deadLetter(ConsumerRecord<String, byte[]> record, Exception e) {
    log.warn(
        "undecodable audit record to dead-letter topic partition={} offset={} reason={}",
        record.partition(),
        record.offset(),
        e.getClass().getSimpleName());
    ProducerRecord<String, byte[]> out =
        new ProducerRecord<>(Topics.dlt(record.topic()), record.key(), record.value());
    record.headers().forEach(h -> out.headers().add(h));
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    out.headers()
        .add(
            "signet-dlt-reason",
            reason.substring(0, Math.min(reason.length(), 500)).getBytes(StandardCharsets.UTF_8));
    out.headers().add("signet-dlt-original-topic", record.topic().getBytes(StandardCharsets.UTF_8));
    out.headers()
        .add(
            "signet-dlt-original-offset",
            (record.partition() + ":" + record.offset()).getBytes(StandardCharsets.UTF_8));
    return deadLetters.send(out);
  }
}
