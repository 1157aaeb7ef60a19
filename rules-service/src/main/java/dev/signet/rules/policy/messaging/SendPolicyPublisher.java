package dev.signet.rules.policy.messaging;

import dev.signet.events.Topics;
import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.RouteEntry;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.policy.VelocityLimit;
import dev.signet.rules.config.SendPolicyProperties;
import dev.signet.rules.policy.RoutingRule;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.policy.service.SendPolicyService;
import dev.signet.rules.store.SendPolicyStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes the stored send policy on the compacted {@code auth.policy.send-policy.v1}, keyed by
 * policy id. It publishes the document's current version, marks it published, and reads again: if
 * another change (possibly by another instance) landed meanwhile it publishes that too, so the last
 * record on the topic is always the highest version. A republished version keeps its event id
 * (derived from policy id and version), so consumers see a duplicate, never a new fact. On start it
 * republishes the current version once (idempotent), so a consumer always finds a policy even if
 * the topic was lost; a relay every {@code relay-interval} publishes whatever a failed send left
 * behind. Publications run one at a time, reactively: no thread waits for a send; the (blocking)
 * store is read and marked on the bounded elastic scheduler.
 */
@Component
class SendPolicyPublisher implements SendPolicyService.PolicyPublication, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SendPolicyPublisher.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  private final SendPolicyStore store;
  private final KafkaTemplate<String, Object> kafka;
  private final Duration relayInterval;
  // Publication requests, served one at a time; a request made while one is pending is the same.
  private final Sinks.Many<Boolean> requests = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Disposable publications;
  private volatile Disposable relay;
  private volatile boolean startPublished;

  SendPolicyPublisher(
      SendPolicyStore store, KafkaTemplate<String, Object> kafka, SendPolicyProperties properties) {
    this.store = store;
    this.kafka = kafka;
    this.relayInterval = properties.relayInterval();
    this.publications = requests.asFlux().concatMap(request -> run(), 1).subscribe();
  }

  @Override
  public void requestPublish() {
    if (scheduled.compareAndSet(false, true)) {
      requests.emitNext(Boolean.TRUE, Sinks.EmitFailureHandler.busyLooping(SEND_TIMEOUT));
    }
  }

  @EventListener(ApplicationReadyEvent.class)
  void onStart() {
    requestPublish();
    relay = Flux.interval(relayInterval, relayInterval).subscribe(tick -> requestPublish());
  }

  private Mono<Void> run() {
    return Mono.defer(
            () -> {
              scheduled.set(false);
              return publishLatest(!startPublished);
            })
        .doOnSuccess(done -> startPublished = true)
        .onErrorResume(
            e -> {
              log.warn("send policy not published yet, the relay retries: {}", e.toString());
              return Mono.empty();
            });
  }

  /** Publishes until the topic's last record is the stored version; {@code force} republishes. */
  Mono<Void> publishLatest(boolean force) {
    return stored()
        .filter(stored -> force || stored.publishedVersion() < stored.policy().version())
        .flatMap(this::publishFrom);
  }

  /** Publishes the stored version, then any newer one that landed meanwhile. */
  private Mono<Void> publishFrom(SendPolicyStore.Stored stored) {
    SendPolicy policy = stored.policy();
    return Mono.fromFuture(
            () -> kafka.send(Topics.SEND_POLICY.name(), policy.policyId(), toEvent(policy)))
        .timeout(SEND_TIMEOUT)
        .then(
            Mono.fromRunnable(() -> store.markPublished(policy.policyId(), policy.version()))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(SEND_TIMEOUT))
        .doOnSuccess(
            done ->
                log.info(
                    "send policy published policyId={} version={} blockedPrefixes={}"
                        + " blockedCountries={}",
                    policy.policyId(),
                    policy.version(),
                    policy.blockedPrefixes().size(),
                    policy.blockedCountries().size()))
        .then(Mono.defer(this::stored))
        .filter(next -> next.policy().version() > policy.version())
        .flatMap(this::publishFrom);
  }

  /** The stored policy, read off the event loop (the store blocks). */
  private Mono<SendPolicyStore.Stored> stored() {
    return Mono.fromCallable(() -> store.load(SendPolicy.GLOBAL).orElse(null))
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(SEND_TIMEOUT);
  }

  static SendPolicyUpdated toEvent(SendPolicy p) {
    SendPolicy.Settings s = p.settings();
    return SendPolicyUpdated.newBuilder()
        .setEventId(eventId(p.policyId(), p.version()))
        .setOccurredAt(p.updatedAt())
        .setCorrelationId(p.correlationId() == null ? "" : p.correlationId())
        .setPolicyId(p.policyId())
        .setVersion(p.version())
        .setAllowedCountries(List.copyOf(s.allowedCountries()))
        .setShadowMode(s.shadowMode())
        .setPerNumber(velocity(s.perNumber()))
        .setPerPrefix(velocity(s.perPrefix()))
        .setPerCountry(velocity(s.perCountry()))
        .setDailyGlobalBudget(s.dailyGlobalBudget())
        .setMinConversionRate(s.minConversionRate())
        .setConversionMinVolume(s.conversionMinVolume())
        .setConversionWindowSeconds((int) s.conversionWindow().toSeconds())
        .setBlockedPrefixes(blocks(p.blockedPrefixes()))
        .setBlockedCountries(blocks(p.blockedCountries()))
        .setUpdatedBy(p.updatedBy())
        .setRouting(routing(p.routing()))
        .build();
  }

  /** The same version always gets the same event id: a republish is a duplicate, not a change. */
  static String eventId(String policyId, long version) {
    return UUID.nameUUIDFromBytes((policyId + ":" + version).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static List<dev.signet.events.policy.RoutingRule> routing(List<RoutingRule> rules) {
    return rules.stream()
        .map(
            rule ->
                new dev.signet.events.policy.RoutingRule(
                    rule.country(),
                    rule.channel(),
                    rule.routes().stream()
                        .map(r -> new RouteEntry(r.provider(), r.api(), r.sender(), r.weight()))
                        .toList()))
        .toList();
  }

  private static VelocityLimit velocity(SendPolicy.Velocity v) {
    return new VelocityLimit(v.maxCount(), (int) v.window().toSeconds());
  }

  private static List<BlockedDestination> blocks(List<SendPolicy.Block> blocks) {
    return blocks.stream()
        .map(
            b ->
                new BlockedDestination(
                    b.value(), b.reason(), b.until() == null ? Instant.EPOCH : b.until()))
        .toList();
  }

  @Override
  public void destroy() {
    Disposable ticking = relay;
    if (ticking != null) {
      ticking.dispose();
    }
    publications.dispose();
  }
}
