package dev.signet.audit.webhook;

import dev.signet.audit.dashboard.OperatorSessions;
import dev.signet.audit.webhook.WebhookStore.Delivery;
import dev.signet.audit.webhook.WebhookStore.Endpoint;
import dev.signet.audit.webhook.WebhookStore.State;
import dev.signet.audit.webhook.domain.EventTypes;
import dev.signet.audit.webhook.domain.WebhookUrl;
import dev.signet.platform.web.HttpError;
import dev.signet.platform.web.HttpErrorException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook endpoints and the delivery log. The management API under {@code /v1/audit/webhooks}
 * (management secret; the dashboard reads it with an operator session) and the same writes under
 * {@code /dashboard/api/webhooks} for a signed-in operator (session cookie and CSRF header, checked
 * by the security chain). A URL is checked when it is registered (https, no credentials, and every
 * address its host resolves to public: see {@link GuardedResolverGroup} for the check at each
 * connection).
 */
@RestController
class WebhookController {

  private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
  private static final Pattern ENDPOINT_ID = Pattern.compile("^wh_[0-9a-f]{20}$");
  private static final Pattern DELIVERY_ID = Pattern.compile("^dlv_[0-9a-f]{32}$");
  private static final Pattern EVENT_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
  private static final int MAX_DESCRIPTION = 200;
  private static final int MAX_EVENT_TYPES = 50;
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;
  private static final Set<String> CREATE_FIELDS =
      Set.of("url", "eventTypes", "description", "enabled");
  private static final Set<String> UPDATE_FIELDS = Set.of("eventTypes", "description", "enabled");

  private final WebhookStore store;
  private final WebhookProperties properties;
  private final JsonMapper json;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Counter redelivered;

  WebhookController(
      WebhookStore store,
      WebhookProperties properties,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    this.store = store;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
    this.redelivered = meters.counter("signet.webhook.redeliveries");
  }

  @PostMapping(
      path = {"/v1/audit/webhooks", "/dashboard/api/webhooks"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Map<String, Object>>> register(@RequestBody(required = false) String body) {
    if (!properties.canSign()) {
      throw new HttpErrorException(
          new HttpError(
              HttpStatus.SERVICE_UNAVAILABLE,
              "invalid_configuration",
              "Webhooks are signed with the API secret, and SIGNET_API_SECRET is not set."));
    }
    JsonNode node = parse(body, CREATE_FIELDS);
    WebhookUrl url;
    try {
      url =
          WebhookUrl.parse(
              text(node, "url", WebhookUrl.MAX_LENGTH), properties.privateAddressesAllowed());
    } catch (IllegalArgumentException e) {
      throw HttpErrorException.invalid(e.getMessage());
    }
    List<String> eventTypes = eventTypes(node, true);
    String description = description(node);
    Boolean enabled = bool(node, "enabled");
    return checkHost(url)
        .then(operator())
        .flatMap(
            by -> {
              Instant now = clock.instant();
              Endpoint endpoint =
                  new Endpoint(
                      "wh_" + HexFormat.of().formatHex(randomBytes(10)),
                      url.uri().toString(),
                      eventTypes,
                      description == null ? "" : description,
                      enabled == null || enabled,
                      now,
                      now,
                      by);
              return store.register(endpoint, properties.maxEndpoints());
            })
        .onErrorMap(
            WebhookStore.EndpointLimitReached.class,
            e ->
                HttpErrorException.conflict(
                    "At most "
                        + properties.maxEndpoints()
                        + " webhook endpoints can be registered; delete one first."))
        .map(
            endpoint -> {
              log.info(
                  "webhook endpoint registered endpointId={} by={} eventTypes={}",
                  endpoint.id(),
                  endpoint.createdBy(),
                  endpoint.eventTypes());
              return ResponseEntity.status(HttpStatus.CREATED).body(endpointBody(endpoint));
            });
  }

  @GetMapping(path = "/v1/audit/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> list(@RequestParam MultiValueMap<String, String> params) {
    noParams(params, Set.of());
    return store
        .endpoints()
        .map(WebhookController::endpointBody)
        .collectList()
        .map(
            items -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("items", items);
              body.put("maxEndpoints", properties.maxEndpoints());
              body.put("eventTypes", eventTypeChoices());
              return body;
            });
  }

  @GetMapping(path = "/v1/audit/webhooks/{endpointId}", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> get(@PathVariable String endpointId) {
    checkEndpointId(endpointId);
    return store
        .endpoint(endpointId)
        .map(WebhookController::endpointBody)
        .switchIfEmpty(Mono.error(() -> endpointNotFound()));
  }

  @PatchMapping(
      path = {"/v1/audit/webhooks/{endpointId}", "/dashboard/api/webhooks/{endpointId}"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> update(
      @PathVariable String endpointId, @RequestBody(required = false) String body) {
    checkEndpointId(endpointId);
    JsonNode node = parse(body, UPDATE_FIELDS);
    if (node.isEmpty()) {
      throw HttpErrorException.invalid("Send at least one of enabled, eventTypes, description.");
    }
    List<String> eventTypes = eventTypes(node, false);
    String description = description(node);
    Boolean enabled = bool(node, "enabled");
    return operator()
        .flatMap(
            by ->
                store
                    .update(endpointId, enabled, eventTypes, description, clock.instant())
                    .doOnNext(
                        e ->
                            log.info(
                                "webhook endpoint updated endpointId={} by={} enabled={}",
                                e.id(),
                                by,
                                e.enabled())))
        .map(WebhookController::endpointBody)
        .switchIfEmpty(Mono.error(() -> endpointNotFound()));
  }

  @DeleteMapping(path = {"/v1/audit/webhooks/{endpointId}", "/dashboard/api/webhooks/{endpointId}"})
  Mono<ResponseEntity<Void>> delete(@PathVariable String endpointId) {
    checkEndpointId(endpointId);
    return operator()
        .flatMap(
            by ->
                store
                    .delete(endpointId)
                    .doOnNext(
                        deleted -> {
                          if (deleted) {
                            log.info(
                                "webhook endpoint deleted endpointId={} by={}", endpointId, by);
                          }
                        }))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(endpointNotFound()));
  }

  @GetMapping(path = "/v1/audit/webhooks/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> deliveries(@RequestParam MultiValueMap<String, String> params) {
    noParams(params, Set.of("endpointId", "state", "eventId", "limit"));
    String endpointId = params.getFirst("endpointId");
    if (endpointId != null) {
      checkEndpointId(endpointId);
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
        .map(this::deliveryBody)
        .collectList()
        .map(
            items -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("items", items);
              body.put("limit", applied);
              return body;
            });
  }

  @GetMapping(
      path = "/v1/audit/webhooks/deliveries/{deliveryId}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> delivery(@PathVariable String deliveryId) {
    checkDeliveryId(deliveryId);
    return store
        .delivery(deliveryId)
        .map(
            d -> {
              Map<String, Object> body = deliveryBody(d);
              body.put("payload", d.payload());
              return body;
            })
        .switchIfEmpty(Mono.error(() -> deliveryNotFound()));
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
  Mono<ResponseEntity<Map<String, Object>>> redeliver(@PathVariable String deliveryId) {
    checkDeliveryId(deliveryId);
    return operator()
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
        .map(d -> ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveryBody(d)))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    store
                        .delivery(deliveryId)
                        .flatMap(
                            exists ->
                                Mono.<ResponseEntity<Map<String, Object>>>error(
                                    HttpErrorException.conflict(
                                        exists.payload() == null
                                            ? "The event is over the payload size limit and"
                                                + " cannot be sent."
                                            : "The delivery is being attempted right now; try"
                                                + " again in a moment.")))
                        .switchIfEmpty(Mono.error(() -> deliveryNotFound()))));
  }

  // ---- checks ----

  /**
   * Resolves a host name and refuses it unless every address is public (skipped with the
   * development override); a literal address is checked as it is.
   */
  private Mono<Void> checkHost(WebhookUrl url) {
    if (properties.privateAddressesAllowed()) {
      return Mono.empty();
    }
    return Mono.fromCallable(
            () -> {
              List<InetAddress> addresses;
              try {
                addresses = Arrays.asList(InetAddress.getAllByName(url.host()));
              } catch (UnknownHostException e) {
                throw HttpErrorException.invalid(
                    "url: the host " + url.host() + " does not resolve.");
              }
              if (!GuardedResolverGroup.allowed(addresses, false)) {
                throw HttpErrorException.invalid(
                    "url: the host resolves to a loopback, private, link-local or reserved address;"
                        + " webhooks are only sent to public addresses.");
              }
              return addresses;
            })
        .subscribeOn(Schedulers.boundedElastic())
        .then();
  }

  private static Mono<String> operator() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .map(WebhookController::who)
        .defaultIfEmpty("management");
  }

  private static String who(Authentication auth) {
    boolean operator =
        auth.getAuthorities().stream()
            .anyMatch(a -> OperatorSessions.AUTHORITY.equals(a.getAuthority()));
    return operator ? "operator:" + auth.getName() : "management";
  }

  private JsonNode parse(String body, Set<String> fields) {
    if (body == null || body.isBlank()) {
      throw HttpErrorException.invalid("The request body must be a JSON object.");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JacksonException e) {
      throw HttpErrorException.invalid("The request body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw HttpErrorException.invalid("The request body must be a JSON object.");
    }
    for (String name : node.propertyNames()) {
      if (!fields.contains(name)) {
        throw HttpErrorException.invalid(
            "Unknown field '"
                + (name.length() > 64 ? name.substring(0, 64) : name)
                + "'. Allowed: "
                + String.join(", ", fields.stream().sorted().toList())
                + ".");
      }
    }
    return node;
  }

  private static String text(JsonNode node, String field, int max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw HttpErrorException.invalid(field + " must be a string.");
    }
    String text = value.asString();
    if (text.length() > max) {
      throw HttpErrorException.invalid(field + " must be at most " + max + " characters.");
    }
    return text;
  }

  private static String description(JsonNode node) {
    String description = text(node, "description", MAX_DESCRIPTION);
    if (description != null && description.chars().anyMatch(Character::isISOControl)) {
      throw HttpErrorException.invalid("description must not contain control characters.");
    }
    return description == null ? null : description.strip();
  }

  private static Boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw HttpErrorException.invalid(field + " must be true or false.");
    }
    return value.asBoolean();
  }

  private static List<String> eventTypes(JsonNode node, boolean required) {
    JsonNode value = node.get("eventTypes");
    if (value == null || value.isNull()) {
      if (required) {
        throw HttpErrorException.invalid(
            "eventTypes is required: a list of activity types, or [\"*\"] for all.");
      }
      return null;
    }
    if (!value.isArray() || value.size() > MAX_EVENT_TYPES) {
      throw HttpErrorException.invalid(
          "eventTypes must be a list of at most " + MAX_EVENT_TYPES + " activity types.");
    }
    List<String> types = new ArrayList<>();
    for (JsonNode type : value) {
      if (!type.isString()) {
        throw HttpErrorException.invalid("eventTypes must hold strings.");
      }
      types.add(type.asString());
    }
    try {
      return EventTypes.parse(types);
    } catch (IllegalArgumentException e) {
      throw HttpErrorException.invalid(e.getMessage());
    }
  }

  private static void noParams(MultiValueMap<String, String> params, Set<String> allowed) {
    for (Map.Entry<String, List<String>> entry : params.entrySet()) {
      if (!allowed.contains(entry.getKey())) {
        throw HttpErrorException.invalid(
            "Unknown query parameter. Allowed: "
                + (allowed.isEmpty()
                    ? "none"
                    : String.join(", ", allowed.stream().sorted().toList()))
                + ".");
      }
      if (entry.getValue().size() > 1) {
        throw HttpErrorException.invalid(
            "Query parameter '" + entry.getKey() + "' may be given only once.");
      }
    }
  }

  private static void checkEndpointId(String id) {
    if (!ENDPOINT_ID.matcher(id).matches()) {
      throw endpointNotFound();
    }
  }

  private static void checkDeliveryId(String id) {
    if (!DELIVERY_ID.matcher(id).matches()) {
      throw deliveryNotFound();
    }
  }

  private static HttpErrorException endpointNotFound() {
    return HttpErrorException.notFound("No webhook endpoint with this id.");
  }

  private static HttpErrorException deliveryNotFound() {
    return HttpErrorException.notFound("No webhook delivery with this id.");
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static List<String> eventTypeChoices() {
    List<String> types = new ArrayList<>();
    types.add(EventTypes.ALL);
    types.addAll(dev.signet.audit.activity.ActivityTypes.ALL);
    return types;
  }

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

  Map<String, Object> deliveryBody(Delivery d) {
    Map<String, Object> body = new LinkedHashMap<>();
    // Claimed by an instance whose lease has not run out: an attempt is being made right now.
    boolean attempting =
        d.state() == State.PENDING
            && d.leaseOwner() != null
            && d.nextAttemptAt() != null
            && d.nextAttemptAt().isAfter(clock.instant());
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

  private static String iso(Instant instant) {
    return instant == null ? null : WebhookIntake.iso(instant);
  }
}
