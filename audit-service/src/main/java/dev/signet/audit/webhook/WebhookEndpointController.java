package dev.signet.audit.webhook;

import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.audit.webhook.WebhookBodies.EndpointBody;
import dev.signet.audit.webhook.WebhookBodies.EndpointList;
import dev.signet.audit.webhook.domain.EventTypes;
import dev.signet.audit.webhook.domain.WebhookUrl;
import dev.signet.platform.web.HttpError;
import dev.signet.platform.web.HttpErrorException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook endpoints: register, list, read, change and delete. The management API under {@code
 * /v1/audit/webhooks} (management secret; the dashboard reads it with an operator session) and the
 * same writes under {@code /dashboard/api/webhooks} for a signed-in operator (session cookie and
 * CSRF header, checked by the security chain). A URL is checked when it is registered (https, no
 * credentials, and every address its host resolves to public: see {@link GuardedResolverGroup} for
 * the check at each connection).
 */
@RestController
class WebhookEndpointController {

  private static final Logger log = LoggerFactory.getLogger(WebhookEndpointController.class);
  private static final Set<String> CREATE_FIELDS =
      Set.of("url", "eventTypes", "description", "enabled");
  private static final Set<String> UPDATE_FIELDS = Set.of("eventTypes", "description", "enabled");

  private final EndpointStore store;
  private final WebhookProperties properties;
  private final JsonMapper json;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  WebhookEndpointController(
      EndpointStore store, WebhookProperties properties, JsonMapper json, Clock clock) {
    this.store = store;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  @PostMapping(
      path = {"/v1/audit/webhooks", "/dashboard/api/webhooks"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<EndpointBody>> register(@RequestBody(required = false) String body) {
    if (!properties.canSign()) {
      throw new HttpErrorException(
          new HttpError(
              HttpStatus.SERVICE_UNAVAILABLE,
              "invalid_configuration",
              "Webhooks are signed with the API secret, and SIGNET_API_SECRET is not set."));
    }
    JsonNode node = WebhookRequests.parse(json, body, CREATE_FIELDS);
    WebhookUrl url;
    try {
      url =
          WebhookUrl.parse(
              WebhookRequests.text(node, "url", WebhookUrl.MAX_LENGTH),
              properties.privateAddressesAllowed());
    } catch (IllegalArgumentException e) {
      throw HttpErrorException.invalid(e.getMessage());
    }
    List<String> eventTypes = WebhookRequests.eventTypes(node, true);
    String description = WebhookRequests.description(node);
    Boolean enabled = WebhookRequests.bool(node, "enabled");
    return checkHost(url)
        .then(WebhookRequests.operator())
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
            EndpointStore.EndpointLimitReached.class,
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
              return ResponseEntity.status(HttpStatus.CREATED).body(EndpointBody.of(endpoint));
            });
  }

  @GetMapping(path = "/v1/audit/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<EndpointList> list(@RequestParam MultiValueMap<String, String> params) {
    WebhookRequests.noParams(params, Set.of());
    return store
        .endpoints()
        .map(EndpointBody::of)
        .collectList()
        .map(items -> new EndpointList(items, properties.maxEndpoints(), eventTypeChoices()));
  }

  @GetMapping(path = "/v1/audit/webhooks/{endpointId}", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<EndpointBody> get(@PathVariable String endpointId) {
    WebhookRequests.checkEndpointId(endpointId);
    return store
        .endpoint(endpointId)
        .map(EndpointBody::of)
        .switchIfEmpty(Mono.error(() -> WebhookRequests.endpointNotFound()));
  }

  @PatchMapping(
      path = {"/v1/audit/webhooks/{endpointId}", "/dashboard/api/webhooks/{endpointId}"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<EndpointBody> update(
      @PathVariable String endpointId, @RequestBody(required = false) String body) {
    WebhookRequests.checkEndpointId(endpointId);
    JsonNode node = WebhookRequests.parse(json, body, UPDATE_FIELDS);
    if (node.isEmpty()) {
      throw HttpErrorException.invalid("Send at least one of enabled, eventTypes, description.");
    }
    List<String> eventTypes = WebhookRequests.eventTypes(node, false);
    String description = WebhookRequests.description(node);
    Boolean enabled = WebhookRequests.bool(node, "enabled");
    return WebhookRequests.operator()
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
        .map(EndpointBody::of)
        .switchIfEmpty(Mono.error(() -> WebhookRequests.endpointNotFound()));
  }

  @DeleteMapping(path = {"/v1/audit/webhooks/{endpointId}", "/dashboard/api/webhooks/{endpointId}"})
  Mono<ResponseEntity<Void>> delete(@PathVariable String endpointId) {
    WebhookRequests.checkEndpointId(endpointId);
    return WebhookRequests.operator()
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
                    : Mono.error(WebhookRequests.endpointNotFound()));
  }

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
}
