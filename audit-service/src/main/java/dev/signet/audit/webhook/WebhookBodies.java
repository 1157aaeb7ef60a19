package dev.signet.audit.webhook;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import java.time.Instant;
import java.util.List;

/**
 * The JSON bodies of endpoints and deliveries, as the management API and the dashboard read them:
 * every field is always present, {@code null} when it has no value.
 */
final class WebhookBodies {

  private WebhookBodies() {}

  /** One endpoint. */
  record EndpointBody(
      String endpointId,
      String url,
      List<String> eventTypes,
      String description,
      boolean enabled,
      String createdAt,
      String updatedAt,
      String createdBy) {

    static EndpointBody of(Endpoint e) {
      return new EndpointBody(
          e.id(),
          e.url(),
          e.eventTypes(),
          e.description(),
          e.enabled(),
          iso(e.createdAt()),
          iso(e.updatedAt()),
          e.createdBy());
    }
  }

  /** The endpoints, the limit and the event types an endpoint may ask for. */
  record EndpointList(List<EndpointBody> items, int maxEndpoints, List<String> eventTypes) {}

  /** One delivery, without its body. */
  record DeliveryBody(
      String deliveryId,
      String endpointId,
      String eventId,
      String eventType,
      String state,
      int attempts,
      String createdAt,
      String lastAttemptAt,
      boolean attempting,
      String nextAttemptAt,
      Integer lastStatusCode,
      String lastError,
      String deliveredAt,
      String redeliveredBy) {

    static DeliveryBody of(Delivery d, Instant now) {
      // Claimed by an instance whose lease has not run out: an attempt is being made right now.
      boolean attempting =
          d.state() == State.PENDING
              && d.leaseOwner() != null
              && d.nextAttemptAt() != null
              && d.nextAttemptAt().isAfter(now);
      return new DeliveryBody(
          d.id(),
          d.endpointId(),
          d.eventId(),
          d.eventType(),
          d.state().name(),
          d.attempts(),
          iso(d.createdAt()),
          iso(d.lastAttemptAt()),
          attempting,
          d.state() == State.PENDING ? iso(d.nextAttemptAt()) : null,
          d.lastStatusCode(),
          d.lastError(),
          iso(d.deliveredAt()),
          d.redeliveredBy());
    }
  }

  /** One delivery with the event body it sends ({@code null} when it was over the size limit). */
  record DeliveryDetail(@JsonUnwrapped DeliveryBody delivery, String payload) {}

  /** The newest deliveries matching the filters, and the limit applied. */
  record DeliveryList(List<DeliveryBody> items, int limit) {}

  static String iso(Instant instant) {
    return instant == null ? null : WebhookIntake.iso(instant);
  }
}
