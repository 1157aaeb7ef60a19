package dev.signet.audit.webhook;

import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.WebhookBodies.DeliveryBody;
import dev.signet.audit.webhook.WebhookBodies.DeliveryDetail;
import dev.signet.audit.webhook.WebhookBodies.DeliveryList;
import dev.signet.platform.web.HttpErrorException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The delivery log of the webhooks and manual redelivery, under {@code
 * /v1/audit/webhooks/deliveries} (management secret, or an operator session for reads) and {@code
 * /dashboard/api/webhooks} for an operator's redelivery.
 */
@RestController
class WebhookDeliveryController {

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliveryController.class);
  private static final Pattern EVENT_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final DeliveryStore store;
  private final Clock clock;
  private final Counter redelivered;

  WebhookDeliveryController(DeliveryStore store, Clock clock, MeterRegistry meters) {
    this.store = store;
    this.clock = clock;
    this.redelivered = meters.counter("signet.webhook.redeliveries");
  }

  @GetMapping(path = "/v1/audit/webhooks/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<DeliveryList> deliveries(@RequestParam MultiValueMap<String, String> params) {
    WebhookRequests.noParams(params, Set.of("endpointId", "state", "eventId", "limit"));
    String endpointId = params.getFirst("endpointId");
    if (endpointId != null) {
      WebhookRequests.checkEndpointId(endpointId);
    }
    String stateText = params.getFirst("state");
    State state = null;
    if (stateText != null) {
      try {
        state = State.valueOf(stateText);
      } catch (IllegalArgumentException e) {
        throw HttpErrorException.invalid("state must be one of PENDING, DELIVERED, FAILED.");
      }
    }
    String eventId = params.getFirst("eventId");
    if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
      throw HttpErrorException.invalid("eventId must be 1 to 128 letters, digits or . _ : -.");
    }
    int limit = DEFAULT_LIMIT;
    String limitText = params.getFirst("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1) {
        throw HttpErrorException.invalid("Query parameter 'limit' must be a positive integer.");
      }
      limit = Math.min(limit, MAX_LIMIT);
    }
    int applied = limit;
    return store
        .deliveries(endpointId, state, eventId, applied)
        .map(d -> DeliveryBody.of(d, clock.instant()))
        .collectList()
        .map(items -> new DeliveryList(items, applied));
  }

  @GetMapping(
      path = "/v1/audit/webhooks/deliveries/{deliveryId}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<DeliveryDetail> delivery(@PathVariable String deliveryId) {
    WebhookRequests.checkDeliveryId(deliveryId);
    return store
        .delivery(deliveryId)
        .map(d -> new DeliveryDetail(DeliveryBody.of(d, clock.instant()), d.payload()))
        .switchIfEmpty(Mono.error(() -> WebhookRequests.deliveryNotFound()));
  }

  /**
   * Queues a delivery again now, with a fresh retry window: for a failed one once the endpoint is
   * fixed, or a delivered one the receiver lost (it carries the same event id, so a receiver that
   * de-duplicates ignores it). Refused with 409 while an attempt is in flight.
   */
  @PostMapping(
      path = {
        "/v1/audit/webhooks/deliveries/{deliveryId}/redeliver",
        "/dashboard/api/webhooks/deliveries/{deliveryId}/redeliver"
      },
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<DeliveryBody>> redeliver(@PathVariable String deliveryId) {
    WebhookRequests.checkDeliveryId(deliveryId);
    return WebhookRequests.operator()
        .flatMap(
            by ->
                store
                    .redeliver(deliveryId, clock.instant(), by)
                    .doOnNext(
                        d -> {
                          redelivered.increment();
                          log.info(
                              "webhook redelivery queued deliveryId={} eventId={} by={}",
                              d.id(),
                              d.eventId(),
                              by);
                        }))
        .map(
            d ->
                ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(DeliveryBody.of(d, clock.instant())))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    store
                        .delivery(deliveryId)
                        .flatMap(
                            exists ->
                                Mono.<ResponseEntity<DeliveryBody>>error(
                                    HttpErrorException.conflict(
                                        exists.payload() == null
                                            ? "The event is over the payload size limit and"
                                                + " cannot be sent."
                                            : "The delivery is being attempted right now; try"
                                                + " again in a moment.")))
                        .switchIfEmpty(Mono.error(() -> WebhookRequests.deliveryNotFound()))));
  }
}
