package dev.signet.rules.decision;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.rules.config.RulesProperties;
import dev.signet.rules.store.SignalStore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The Kafka side of rules-service: answers each tracked action with a decision keyed by user id,
 * and records challenge outcomes as risk signals. Each listener waits for its writes and its send
 * to complete, so the offset is committed only after the work is durable (at-least-once; the stores
 * deduplicate on event ids).
 */
@Component
class DecisionListeners {

  private static final Logger log = LoggerFactory.getLogger(DecisionListeners.class);

  private final DecisionService decisions;
  private final SignalStore signals;
  private final KafkaTemplate<String, Object> kafka;

  private final int concurrency;

  DecisionListeners(
      DecisionService decisions,
      SignalStore signals,
      KafkaTemplate<String, Object> kafka,
      RulesProperties properties) {
    this.decisions = decisions;
    this.signals = signals;
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

  @KafkaListener(
      id = "challenge-verification-failed",
      idIsGroup = false,
      topics = "#{T(dev.signet.events.Topics).CHALLENGE_VERIFICATION_FAILED.name()}")
  void onVerificationFailed(ChallengeVerificationFailed failed) {
    if (failed.getUserId() == null) {
      return; // an anonymous sign-in challenge: no user to attribute the failure to
    }
    signals.recordChallenge(
        failed.getEventId(),
        failed.getUserId(),
        SignalStore.ChallengeOutcome.FAILED,
        failed.getOccurredAt());
  }

  @KafkaListener(
      id = "challenge-verified",
      idIsGroup = false,
      topics = "#{T(dev.signet.events.Topics).CHALLENGE_VERIFIED.name()}")
  void onVerified(ChallengeVerified verified) {
    if (verified.getUserId() == null) {
      return;
    }
    signals.recordChallenge(
        verified.getEventId(),
        verified.getUserId(),
        SignalStore.ChallengeOutcome.VERIFIED,
        verified.getOccurredAt());
  }
}
