package dev.signet.audit.webhook;

import dev.signet.audit.webhook.DeliveryQueue.NewDelivery;
import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.audit.webhook.domain.ActivityData;
import dev.signet.audit.webhook.domain.AuditEvent;
import dev.signet.audit.webhook.domain.EventTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns audit records into queued deliveries: one per enabled endpoint whose event types match and
 * that was registered before the record was published. The event body is built here, once, and
 * stored with the delivery, so every attempt and every manual redelivery sends the same bytes.
 * Called by the audit topic's listener, which commits its offsets only after this returns: a record
 * is either queued for every endpoint or read again, and reading it again queues nothing new.
 */
public class WebhookIntake {

  private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);

  private final DeliveryQueue queue;
  private final WebhookProperties properties;
  private final JsonMapper json;
  private final Clock clock;
  private final Counter queued;
  private final Counter duplicates;
  private final Counter tooLarge;

  public WebhookIntake(
      DeliveryQueue queue,
      WebhookProperties properties,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    this.queue = queue;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
    this.queued = meters.counter("signet.webhook.deliveries.queued", "result", "queued");
    this.duplicates = meters.counter("signet.webhook.deliveries.queued", "result", "duplicate");
    this.tooLarge = meters.counter("signet.webhook.deliveries.queued", "result", "too-large");
  }

  /**
   * Queues the deliveries of {@code events} on the listener thread; returns once MongoDB
   * acknowledged them.
   */
  public void accept(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<Endpoint> endpoints = queue.enabledEndpoints();
    if (endpoints.isEmpty()) {
      return;
    }
    List<NewDelivery> deliveries = new ArrayList<>();
    for (AuditEvent event : events) {
      String payload = null;
      for (Endpoint endpoint : endpoints) {
        if (!EventTypes.matches(endpoint.eventTypes(), event.type())
            || event.publishedAt().isBefore(endpoint.createdAt())) {
          continue;
        }
        if (payload == null) {
          payload = payload(event);
        }
        boolean fits =
            payload.getBytes(StandardCharsets.UTF_8).length <= properties.maxPayloadBytes();
        if (!fits) {
          tooLarge.increment();
          log.warn(
              "webhook event too large eventId={} endpointId={} limit={}",
              event.eventId(),
              endpoint.id(),
              properties.maxPayloadBytes());
        }
        deliveries.add(
            new NewDelivery(
                deliveryId(endpoint.id(), event.eventId()),
                endpoint.id(),
                event.eventId(),
                event.type(),
                fits ? payload : null,
                fits ? State.PENDING : State.FAILED,
                fits
                    ? null
                    : "payload_too_large: the event is over "
                        + properties.maxPayloadBytes()
                        + " bytes"));
      }
    }
    if (deliveries.isEmpty()) {
      return;
    }
    int fresh = queue.enqueue(deliveries, clock.instant());
    queued.increment(fresh);
    duplicates.increment(deliveries.size() - fresh);
    log.debug("webhook deliveries queued new={} existing={}", fresh, deliveries.size() - fresh);
  }

  /** Authsignal's webhook envelope, in this order. */
  record Envelope(
      int version,
      String id,
      String source,
      String time,
      String tenantId,
      String type,
      ActivityData data) {}

  /** The event body: Authsignal's webhook envelope around the activity. */
  String payload(AuditEvent event) {
    Envelope envelope =
        new Envelope(
            1,
            event.eventId(),
            properties.source(),
            iso(event.occurredAt()),
            properties.tenantId(),
            event.type(),
            event.data());
    return json.writeValueAsString(envelope);
  }

  static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /** One delivery per endpoint and event: the id is derived from both. */
  static String deliveryId(String endpointId, String eventId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((endpointId + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
      return "dlv_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
