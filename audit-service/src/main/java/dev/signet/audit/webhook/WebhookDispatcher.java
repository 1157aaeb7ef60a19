package dev.signet.audit.webhook;

import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.audit.webhook.domain.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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

  private final EndpointStore endpoints;
  private final DeliveryStore store;
  private final WebhookProperties properties;
  private final Clock clock;
  private final Backoff backoff;
  private final SecureRandom random = new SecureRandom();
  private final WebhookSender sender;
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
    this.sender = new WebhookSender(properties, clock);
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
    sender.close();
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

  Mono<Void> attempt(Endpoint endpoint, Delivery delivery, String token) {
    long started = System.nanoTime();
    if (delivery.payload() == null) {
      // Never sendable (over the size limit when it was queued): failed, not retried.
      return store
          .attemptFailed(delivery.id(), token, null, "payload_too_large: nothing to send", null)
          .then();
    }
    return sender
        .send(endpoint, delivery)
        .flatMap(
            (WebhookSender.Outcome outcome) -> {
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

  /** Attempts of the endpoint in flight on this instance. */
  int inFlight(String endpointId) {
    AtomicInteger busy = inFlight.get(endpointId);
    return busy == null ? 0 : busy.get();
  }
}
