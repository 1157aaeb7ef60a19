package dev.signet.challenge.action;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionDecision;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.action.MatchedRule;
import dev.signet.testsupport.AvroClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Answers {@code auth.action.tracked.v1} with {@code auth.action.decided.v1} on the real broker, by
 * the request/reply contract rules-service implements (echo {@code replyTo}, {@code
 * idempotencyKey}, the request's event id). The decision depends on the action code's prefix:
 * {@code block}, {@code review}, {@code allow}, {@code challenge} decide so with one rule; {@code
 * silent} and {@code payout} get no answer (rules-service stopped); {@code late} is answered after
 * 2.5 s; anything else gets the default outcome (CHALLENGE for an enrolled user, else ALLOW).
 */
final class RulesResponder {

  private final ConcurrentLinkedQueue<ActionTracked> requests = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> answered = new ConcurrentHashMap<>();
  private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor();
  private final KafkaProducer<String, Object> producer;

  RulesResponder(String bootstrap, String registryUrl) {
    Properties producerConfig = AvroClients.producer(bootstrap, registryUrl);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(producerConfig);

    Properties config = AvroClients.consumer("rules-responder", bootstrap, registryUrl);
    Thread thread =
        new Thread(
            () -> {
              try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of(Topics.ACTION_TRACKED.name()));
                while (!Thread.currentThread().isInterrupted()) {
                  consumer
                      .poll(Duration.ofMillis(100))
                      .forEach(record -> answer((ActionTracked) record.value()));
                }
              }
            },
            "rules-responder");
    thread.setDaemon(true);
    thread.start();
  }

  /** Decision requests received for this user, in arrival order. */
  List<ActionTracked> requestsFor(String userId) {
    return requests.stream().filter(r -> r.getUserId().equals(userId)).toList();
  }

  private void answer(ActionTracked tracked) {
    requests.add(tracked);
    String code = tracked.getActionCode();
    if (code.startsWith("silent") || code.startsWith("payout")) {
      return;
    }
    if (code.startsWith("late")) {
      delayed.schedule(() -> send(tracked, decision(tracked)), 2500, TimeUnit.MILLISECONDS);
      return;
    }
    send(tracked, decision(tracked));
  }

  private static ActionDecision decision(ActionTracked tracked) {
    String code = tracked.getActionCode().replaceFirst("^late", "");
    for (ActionDecision decision : ActionDecision.values()) {
      if (code.toUpperCase().startsWith(decision.name())) {
        return decision;
      }
    }
    return tracked.getIsEnrolled() ? ActionDecision.CHALLENGE : ActionDecision.ALLOW;
  }

  private void send(ActionTracked tracked, ActionDecision decision) {
    boolean byRule =
        tracked.getActionCode().replaceFirst("^late", "").toUpperCase().startsWith(decision.name());
    String ruleId = "r-" + decision.name().toLowerCase();
    ActionDecided decided =
        ActionDecided.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setCorrelationId(tracked.getCorrelationId())
            .setUserId(tracked.getUserId())
            .setActionCode(tracked.getActionCode())
            .setIdempotencyKey(tracked.getIdempotencyKey())
            .setDecision(decision)
            .setRuleIds(byRule ? List.of(ruleId) : List.of())
            .setRules(
                byRule
                    ? List.of(new MatchedRule(ruleId, "Rule " + decision, "Test rule"))
                    : List.of())
            .setDefaultOutcome(!byRule)
            .setReplyTo(tracked.getReplyTo())
            .setRequestEventId(tracked.getEventId())
            .build();
    answered.merge(tracked.getUserId(), 1, Integer::sum);
    producer.send(new ProducerRecord<>(Topics.ACTION_DECIDED.name(), tracked.getUserId(), decided));
  }
}
