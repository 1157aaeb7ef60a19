package dev.signet.audit.webhook;

import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON bodies of endpoints and deliveries, as the management API and the dashboard read them.
 */
final class WebhookBodies {

  private WebhookBodies() {}

  static Map<String, Object> endpointBody(Endpoint e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("endpointId", e.id());
    body.put("url", e.url());
    body.put("eventTypes", e.eventTypes());
    body.put("description", e.description());
    body.put("enabled", e.enabled());
    body.put("createdAt", iso(e.createdAt()));
    body.put("updatedAt", iso(e.updatedAt()));
    body.put("createdBy", e.createdBy());
    return body;
  }

  static Map<String, Object> deliveryBody(Delivery d, Instant now) {
    Map<String, Object> body = new LinkedHashMap<>();
    // Claimed by an instance whose lease has not run out: an attempt is being made right now.
    boolean attempting =
        d.state() == State.PENDING
            && d.leaseOwner() != null
            && d.nextAttemptAt() != null
            && d.nextAttemptAt().isAfter(now);
    body.put("deliveryId", d.id());
    body.put("endpointId", d.endpointId());
    body.put("eventId", d.eventId());
    body.put("eventType", d.eventType());
    body.put("state", d.state().name());
    body.put("attempts", d.attempts());
    body.put("createdAt", iso(d.createdAt()));
    body.put("lastAttemptAt", iso(d.lastAttemptAt()));
    body.put("attempting", attempting);
    body.put("nextAttemptAt", d.state() == State.PENDING ? iso(d.nextAttemptAt()) : null);
    body.put("lastStatusCode", d.lastStatusCode());
    body.put("lastError", d.lastError());
    body.put("deliveredAt", iso(d.deliveredAt()));
    body.put("redeliveredBy", d.redeliveredBy());
    return body;
  }

  static String iso(Instant instant) {
    return instant == null ? null : WebhookIntake.iso(instant);
  }
}
