package dev.signet.rules.policy.messaging;

import dev.signet.events.Topics;
import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.policy.VelocityLimit;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.policy.service.SendPolicyService;
import dev.signet.rules.store.SendPolicyStore;
import dev.signet.rules.store.SendTrafficStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Publishes the stored send policy on the compacted {@code auth.policy.send-policy.v1}, keyed by
 * policy id. It publishes the document's current version, marks it published, and reads again: if
 * another change (possibly by another instance) landed meanwhile it publishes that too, so the last
 * record on the topic is always the highest version. A republished version keeps its event id
 * (derived from policy id and version), so consumers see a duplicate, never a new fact. On start it
 * republishes the current version once (idempotent), so a consumer always finds a policy even if
 * the topic was lost; a relay every few seconds publishes whatever a failed send left behind.
 */
@Component
class SendPolicyPublisher implements SendPolicyService.PolicyPublication, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SendPolicyPublisher.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  private final SendPolicyStore store;
  private final KafkaTemplate<String, Object> kafka;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "send-policy-publisher");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean startPublished;

  SendPolicyPublisher(SendPolicyStore store, KafkaTemplate<String, Object> kafka) {
    this.store = store;
    this.kafka = kafka;
  }

  /** The compacted policy topic (created by its producer) and the first stored policy. */
  @Configuration(proxyBeanMethods = false)
  static class Wiring {
    @Bean
    NewTopic sendPolicyTopic() {
      return TopicBuilder.name(Topics.SEND_POLICY.name()).partitions(3).compact().build();
    }

    @Bean
    ApplicationRunner initialiseSendPolicy(SendPolicyService policies, SendTrafficStore traffic) {
      return args ->
          Mono.when(traffic.createIndexes(), policies.initialise()).block(Duration.ofSeconds(30));
    }
  }

  @Override
  public void requestPublish() {
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::run);
    }
  }

  @EventListener(ApplicationReadyEvent.class)
  void onStart() {
    requestPublish();
  }

  @Scheduled(fixedDelayString = "${signet.rules.send-policy.relay-interval:PT5S}")
  void relay() {
    requestPublish();
  }

  private void run() {
    scheduled.set(false);
    try {
      publishLatest(!startPublished);
      startPublished = true;
    } catch (Exception e) {
      log.warn("send policy not published yet, the relay retries: {}", e.toString());
    }
  }

  /** Publishes until the topic's last record is the stored version; {@code force} republishes. */
  void publishLatest(boolean force) throws Exception {
    SendPolicyStore.Stored stored = store.load(SendPolicy.GLOBAL).block(SEND_TIMEOUT);
    if (stored == null || (!force && stored.publishedVersion() >= stored.policy().version())) {
      return;
    }
    while (true) {
      SendPolicy policy = stored.policy();
      kafka
          .send(Topics.SEND_POLICY.name(), policy.policyId(), toEvent(policy))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      store.markPublished(policy.policyId(), policy.version()).block(SEND_TIMEOUT);
      log.info(
          "send policy published policyId={} version={} blockedPrefixes={} blockedCountries={}",
          policy.policyId(),
          policy.version(),
          policy.blockedPrefixes().size(),
          policy.blockedCountries().size());
      stored = store.load(SendPolicy.GLOBAL).block(SEND_TIMEOUT);
      if (stored == null || stored.policy().version() <= policy.version()) {
        return;
      }
    }
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
        .build();
  }

  /** The same version always gets the same event id: a republish is a duplicate, not a change. */
  static String eventId(String policyId, long version) {
    return UUID.nameUUIDFromBytes((policyId + ":" + version).getBytes(StandardCharsets.UTF_8))
        .toString();
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
    executor.shutdownNow();
  }
}
