package dev.signet.audit.webhook;

import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.audit.webhook.domain.Backoff;
import dev.signet.audit.webhook.domain.WebhookSignature;
import dev.signet.audit.webhook.domain.WebhookUrl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends due deliveries. Every {@code dispatch-interval} each instance claims, per enabled endpoint,
 * up to {@code concurrency-per-endpoint} due deliveries minus those it already has in flight for
 * that endpoint (one conditional update each, {@link DeliveryStore#claim}), signs each with the API
 * secret at the time of the attempt and posts it. Attempts run concurrently and are bounded by the
 * connect and response timeouts, so an endpoint that hangs ties up only its own slots and the
 * others go on. A 2xx answer delivers; anything else (another status, a timeout, a refused
 * connection or address) schedules the next attempt with exponential back-off and jitter, until the
 * retry window has passed, and then marks the delivery failed.
 */
public class WebhookDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final String USER_AGENT = "Signet-Webhooks/1";
  private static final int MAX_ERROR = 300;

  private final EndpointStore endpoints;
  private final DeliveryStore store;
  private final WebhookProperties properties;
  private final Clock clock;
  private final Backoff backoff;
  private final SecureRandom random = new SecureRandom();
  private final WebClient http;
  private final ConnectionProvider connections;
  private final byte[] secret;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong pending = new AtomicLong();
  private final Counter delivered;
  private final Counter retried;
  private final Counter failed;
  private final Timer duration;
  private volatile Disposable loop;
  private volatile Instant lastCount = Instant.EPOCH;
  private volatile Instant lastSweep = Instant.EPOCH;
  private volatile boolean warnedNoSecret;

  public WebhookDispatcher(
      EndpointStore endpoints,
      DeliveryStore store,
      WebhookProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.endpoints = endpoints;
    this.store = store;
    this.properties = properties;
    this.clock = clock;
    this.backoff =
        new Backoff(properties.initialBackoff(), properties.maxBackoff(), properties.retryWindow());
    this.secret =
        properties.canSign()
            ? properties.signingSecret().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    this.connections =
        ConnectionProvider.builder("signet-webhooks")
            .maxConnections(properties.concurrencyPerEndpoint() * 8)
            .pendingAcquireTimeout(properties.connectTimeout())
            .maxIdleTime(Duration.ofSeconds(30))
            .build();
    HttpClient client =
        HttpClient.create(connections)
            .resolver(new GuardedResolverGroup(properties.privateAddressesAllowed()))
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
            .responseTimeout(properties.responseTimeout())
            .followRedirect(false);
    this.http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(client)).build();
    this.delivered = meters.counter("signet.webhook.attempts", "outcome", "delivered");
    this.retried = meters.counter("signet.webhook.attempts", "outcome", "retry");
    this.failed = meters.counter("signet.webhook.attempts", "outcome", "failed");
    this.duration = meters.timer("signet.webhook.attempt.duration");
    meters.gauge("signet.webhook.deliveries.pending", pending);
  }

  @Override
  public void start() {
    Scheduler single = Schedulers.newSingle("webhook-dispatch");
    loop =
        Flux.interval(properties.dispatchInterval(), single)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    tick()
                        .onErrorResume(
                            e -> {
                              log.warn("webhook dispatch tick failed: {}", e.toString());
                              return Mono.empty();
                            }),
                1)
            .doFinally(s -> single.dispose())
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable running = loop;
    if (running != null) {
      running.dispose();
    }
    connections.dispose();
  }

  @Override
  public boolean isRunning() {
    Disposable running = loop;
    return running != null && !running.isDisposed();
  }

  /** One round: claim due deliveries per endpoint and start their attempts. */
  Mono<Void> tick() {
    if (!properties.canSign()) {
      if (!warnedNoSecret) {
        warnedNoSecret = true;
        log.warn(
            "webhooks are not sent: SIGNET_API_SECRET (signet.webhooks.signing-secret) is not set");
      }
      return Mono.empty();
    }
    Instant now = clock.instant();
    Mono<Void> housekeeping = Mono.empty();
    if (Duration.between(lastCount, now).compareTo(Duration.ofSeconds(5)) >= 0) {
      lastCount = now;
      housekeeping = store.pendingCount().doOnNext(pending::set).then();
    }
    if (Duration.between(lastSweep, now).compareTo(Duration.ofMinutes(10)) >= 0) {
      // Deletes are idempotent: every instance may sweep.
      lastSweep = now;
      housekeeping =
          housekeeping.then(store.sweep(now.minus(properties.deliveryRetention())).then());
    }
    return housekeeping.then(
        endpoints.enabledEndpoints().flatMap(endpoint -> claimFor(endpoint, now), 8).then());
  }

  private Mono<Void> claimFor(Endpoint endpoint, Instant now) {
    AtomicInteger busy = inFlight.computeIfAbsent(endpoint.id(), id -> new AtomicInteger());
    if (busy.get() >= properties.concurrencyPerEndpoint()) {
      return Mono.empty();
    }
    String token = UUID.randomUUID().toString();
    return store
        .claim(endpoint.id(), now, now.plus(properties.lease()), token)
        .flatMap(
            delivery -> {
              busy.incrementAndGet();
              attempt(endpoint, delivery, token)
                  .doFinally(s -> busy.decrementAndGet())
                  .subscribe(
                      ignored -> {},
                      e ->
                          log.warn(
                              "webhook attempt not recorded deliveryId={} reason={}",
                              delivery.id(),
                              e.toString()));
              return claimFor(endpoint, now);
            });
  }

  /** The outcome of one attempt: a status code, or an error without one. */
  record Outcome(Integer status, String error) {
    boolean success() {
      return status != null && status >= 200 && status < 300;
    }
  }

  Mono<Void> attempt(Endpoint endpoint, Delivery delivery, String token) {
    long started = System.nanoTime();
    if (delivery.payload() == null) {
      // Never sendable (over the size limit when it was queued): failed, not retried.
      return store
          .attemptFailed(delivery.id(), token, null, "payload_too_large: nothing to send", null)
          .then();
    }
    return Mono.defer(() -> send(endpoint, delivery))
        .onErrorResume(e -> Mono.just(new Outcome(null, describe(e))))
        .flatMap(
            outcome -> {
              duration.record(Duration.ofNanos(System.nanoTime() - started));
              Instant now = clock.instant();
              if (outcome.success()) {
                delivered.increment();
                log.info(
                    "webhook delivered deliveryId={} endpointId={} eventId={} attempt={} status={}",
                    delivery.id(),
                    endpoint.id(),
                    delivery.eventId(),
                    delivery.attempts(),
                    outcome.status());
                return store.delivered(delivery.id(), token, outcome.status(), now);
              }
              String error = outcome.error() != null ? outcome.error() : "HTTP " + outcome.status();
              Instant windowStart =
                  delivery.windowStart() == null ? delivery.createdAt() : delivery.windowStart();
              boolean exhausted = backoff.exhausted(Duration.between(windowStart, now));
              Instant next =
                  exhausted
                      ? null
                      : now.plus(backoff.delay(delivery.windowAttempts(), random::nextDouble));
              (exhausted ? failed : retried).increment();
              log.warn(
                  "webhook attempt failed deliveryId={} endpointId={} eventId={} attempt={}"
                      + " error={} next={}",
                  delivery.id(),
                  endpoint.id(),
                  delivery.eventId(),
                  delivery.attempts(),
                  error,
                  next == null ? "none (failed)" : next);
              return store.attemptFailed(delivery.id(), token, outcome.status(), error, next);
            })
        .then();
  }

  private Mono<Outcome> send(Endpoint endpoint, Delivery delivery) {
    WebhookUrl url;
    try {
      url = WebhookUrl.parse(endpoint.url(), properties.privateAddressesAllowed());
      if (url.literalAddress()
          && !GuardedResolverGroup.allowed(
              List.of(InetAddress.getByName(url.host())), properties.privateAddressesAllowed())) {
        return Mono.just(new Outcome(null, "refused_address: " + url.host() + " is not public"));
      }
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Mono.just(new Outcome(null, "invalid_url: " + e.getMessage()));
    }
    String payload = delivery.payload();
    String signature = WebhookSignature.header(secret, clock.instant().getEpochSecond(), payload);
    return http.post()
        .uri(url.uri())
        .contentType(MediaType.APPLICATION_JSON)
        .header(WebhookSignature.HEADER, signature)
        .header("User-Agent", USER_AGENT)
        .header("X-Signet-Delivery-Id", delivery.id())
        .header("X-Signet-Event-Id", delivery.eventId())
        .bodyValue(payload.getBytes(StandardCharsets.UTF_8))
        .exchangeToMono(
            response ->
                response.releaseBody().thenReturn(new Outcome(response.statusCode().value(), null)))
        // Connect, then answer: never longer than both timeouts together, whatever the endpoint
        // does.
        .timeout(properties.connectTimeout().plus(properties.responseTimeout()).plusSeconds(1));
  }

  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && !(cause instanceof TimeoutException)
        && !(cause instanceof UnknownHostException)
        && !(cause instanceof ConnectException)) {
      cause = cause.getCause();
    }
    String text;
    if (cause instanceof GuardedResolverGroup.RefusedAddressException) {
      text = cause.getMessage();
    } else if (cause instanceof UnknownHostException) {
      text = "unknown_host: " + cause.getMessage();
    } else if (cause instanceof TimeoutException
        || cause instanceof io.netty.handler.timeout.ReadTimeoutException
        || cause.getClass().getSimpleName().contains("Timeout")) {
      text = "timeout: no answer in time";
    } else if (cause instanceof ConnectException) {
      text = "connection_failed: " + cause.getMessage();
    } else {
      text =
          "error: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
  }

  /** Attempts of the endpoint in flight on this instance. */
  int inFlight(String endpointId) {
    AtomicInteger busy = inFlight.get(endpointId);
    return busy == null ? 0 : busy.get();
  }
}
