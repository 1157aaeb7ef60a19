package dev.signet.rules.decision;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionTracked;
import dev.signet.rules.config.RulesProperties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers each tracked action with a decision keyed by user id. The listener waits for its send to
 * complete, so the offset is committed only after the decision is durable (at-least-once). The risk
 * signals are recorded by {@link SignalListeners}.
 */
@Component
class DecisionListeners {

  private static final Logger log = LoggerFactory.getLogger(DecisionListeners.class);

  private final DecisionService decisions;
  private final KafkaTemplate<String, Object> kafka;

  private final int concurrency;

  DecisionListeners(
      DecisionService decisions, KafkaTemplate<String, Object> kafka, RulesProperties properties) {
    this.decisions = decisions;
    this.kafka = kafka;
    this.concurrency = properties.decisionConcurrency();
  }

  /** {@code signet.rules.decision-concurrency}, read by the tracked-action listener's container. */
  public int concurrency() {
    return concurrency;
  }

  @KafkaListener(
      id = "action-tracked",
      idIsGroup = false,
      // One consumer thread per partition up to this many; a user's actions stay in order because
      // they share a partition (key = userId).
      concurrency = "#{__listener.concurrency()}",
      topics = "#{T(dev.signet.events.Topics).ACTION_TRACKED.name()}")
  void onTracked(ActionTracked tracked)
      throws ExecutionException, InterruptedException, TimeoutException {
    ActionDecided decided = decisions.decide(tracked);
    kafka
        .send(Topics.ACTION_DECIDED.name(), decided.getUserId(), decided)
        .get(10, TimeUnit.SECONDS);
    log.info(
        "action decided requestEventId={} eventId={} actionCode={} decision={} ruleIds={}"
            + " defaultOutcome={} evaluationMillis={}",
        decided.getRequestEventId(),
        decided.getEventId(),
        decided.getActionCode(),
        decided.getDecision(),
        decided.getRuleIds(),
        decided.getDefaultOutcome(),
        decided.getEvaluationMillis());
  }
}
