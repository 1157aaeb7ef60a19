package dev.signet.rules.decision;

import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionDecision;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.action.MatchedRule;
import dev.signet.rules.evaluation.ActionAttributes;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Decision;
import dev.signet.rules.evaluation.RiskSignals;
import dev.signet.rules.evaluation.Rule;
import dev.signet.rules.evaluation.RuleEvaluator;
import dev.signet.rules.evaluation.SignalPlan;
import dev.signet.rules.store.RuleReader;
import dev.signet.rules.store.SignalStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

/**
 * Answers a tracked action with a decision. The decision is stored under the tracked event's id
 * before it is published, so a redelivered request gets the very same decision (same event id, same
 * outcome) instead of a second evaluation that could differ because the signals moved on. Signals
 * are recorded after the evaluation, so the action never counts as its own history.
 */
@Service
class DecisionService {

  static final String DECISIONS = "decisions";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_REMEMBERED_ACTIONS = 1_000;

  private final RuleReader rules;
  private final SignalStore signals;
  private final MongoTemplate mongo;
  private final Executor reads;
  private final Clock clock;
  private final Map<String, RuleSet> lastSeen = new ConcurrentHashMap<>();

  DecisionService(
      RuleReader rules,
      SignalStore signals,
      MongoTemplate mongo,
      DecisionReads reads,
      Clock clock) {
    this.rules = rules;
    this.signals = signals;
    this.mongo = mongo;
    this.reads = reads.executor();
    this.clock = clock;
  }

  /**
   * The decision for this request: a fresh evaluation, unless an earlier delivery already stored
   * one, which then wins (the insert keyed by the request's event id finds it). Evaluating a
   * redelivery again is harmless: it reads the same history, since the signals of this very event
   * are excluded, and records nothing new.
   *
   * <p>Runs on the listener thread with blocking reads and writes; the independent ones run side by
   * side on the small {@link DecisionReads} pool while this thread waits. Two MongoDB round trips
   * of latency in the common case: (1) the rules and defaults, this action's own signals written
   * alongside (every read excludes this event, so writing them first changes no answer) and, also
   * alongside, every signal that the rules this instance saw last for this action may read; (2) the
   * decision stored. Evaluation itself is pure and runs between them, always against the rules just
   * read (hot reload): when they ask for a signal the speculative read did not foresee (the rules
   * changed), the signals are read for them first, a third round trip, as on the first decision of
   * an action.
   */
  ActionDecided decide(ActionTracked tracked) {
    long started = System.nanoTime();
    String actionCode = tracked.getActionCode();
    CompletableFuture<Void> recorded =
        CompletableFuture.runAsync(
            () ->
                signals.recordAction(
                    tracked.getEventId(),
                    tracked.getUserId(),
                    actionCode,
                    tracked.getDeviceId(),
                    tracked.getOccurredAt()),
            reads);
    ActionAttributes attributes = attributes(tracked);
    // One instant for the plans and the evaluation, so the planned windows are the ones read.
    RuleEvaluator evaluator = new RuleEvaluator(Clock.fixed(clock.instant(), ZoneOffset.UTC));
    RuleSet seen = lastSeen.get(actionCode);
    SignalPlan guessed =
        seen == null ? null : evaluator.plan(seen.rules(), seen.defaults(), attributes);
    CompletableFuture<RiskSignals> speculative =
        guessed == null || guessed.queries().isEmpty()
            ? CompletableFuture.completedFuture(null)
            : signals.prefetch(guessed, reads);
    // Read afresh for every decision (hot reload), in parallel with the signal writes and reads.
    CompletableFuture<List<Rule>> loaded =
        CompletableFuture.supplyAsync(() -> rules.rules(actionCode), reads);
    ActionDefaults defaults = rules.defaults(actionCode);
    List<Rule> ruleList = await(loaded);
    RiskSignals prefetched = await(speculative);
    await(recorded);
    if (lastSeen.size() >= MAX_REMEMBERED_ACTIONS) {
      lastSeen.clear(); // only a guess for the next read: forgetting costs a round trip, no answer
    }
    lastSeen.put(actionCode, new RuleSet(ruleList, defaults));
    SignalPlan plan = evaluator.plan(ruleList, defaults, attributes);
    RiskSignals answered =
        plan.queries().isEmpty()
            ? signals
            : prefetched != null && guessed.queries().containsAll(plan.queries())
                ? prefetched
                : await(signals.prefetch(plan, reads));
    Decision decision = evaluator.decide(ruleList, defaults, attributes, answered);
    ActionDecided evaluated = toEvent(tracked, decision, started);
    return storeOnce(tracked.getEventId(), evaluated);
  }

  /** Waits on the listener thread for work handed to the read pool; its failure is rethrown. */
  private static <T> T await(CompletableFuture<T> work) {
    try {
      return work.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("decision reads took longer than " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deciding", e);
    }
  }

  /** The rules and defaults of an action code as last read. */
  private record RuleSet(List<Rule> rules, ActionDefaults defaults) {}

  private ActionDecided toEvent(ActionTracked tracked, Decision decision, long started) {
    List<MatchedRule> matched = new ArrayList<>();
    for (Rule rule : decision.matchedRules()) {
      matched.add(new MatchedRule(rule.id(), rule.name(), rule.description()));
    }
    return ActionDecided.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(clock.instant())
        .setCorrelationId(
            tracked.getCorrelationId().isEmpty()
                ? tracked.getEventId()
                : tracked.getCorrelationId())
        .setUserId(tracked.getUserId())
        .setActionCode(tracked.getActionCode())
        .setIdempotencyKey(tracked.getIdempotencyKey())
        .setDecision(ActionDecision.valueOf(decision.outcome().name()))
        .setRuleIds(decision.ruleIds())
        .setRules(matched)
        .setDefaultOutcome(decision.defaultOutcome())
        .setReplyTo(tracked.getReplyTo())
        .setRequestEventId(tracked.getEventId())
        .setSignals(new LinkedHashMap<>(decision.signals()))
        .setEvaluationMillis((System.nanoTime() - started) / 1_000_000)
        .build();
  }

  static ActionAttributes attributes(ActionTracked tracked) {
    Map<String, Object> custom = new LinkedHashMap<>();
    tracked
        .getCustom()
        .forEach(
            (k, v) -> custom.put(k.toString(), v instanceof CharSequence s ? s.toString() : v));
    return new ActionAttributes(
        tracked.getEventId(),
        tracked.getUserId(),
        tracked.getActionCode(),
        tracked.getIpAddress(),
        tracked.getUserAgent(),
        tracked.getDeviceId(),
        custom,
        tracked.getIsEnrolled(),
        tracked.getPhoneCountryCode());
  }

  /** Inserts the decision unless another delivery of the same request got there first. */
  private ActionDecided storeOnce(String requestEventId, ActionDecided decided) {
    try {
      mongo.insert(toDocument(decided).append("_id", requestEventId), DECISIONS);
      return decided;
    } catch (RuntimeException e) {
      if (!SignalStore.isDuplicate(e)) {
        throw e;
      }
      return fromDocument(mongo.findById(requestEventId, Document.class, DECISIONS));
    }
  }

  static Document toDocument(ActionDecided d) {
    List<Document> matched = new ArrayList<>();
    for (MatchedRule rule : d.getRules()) {
      matched.add(
          new Document("ruleId", rule.getRuleId())
              .append("name", rule.getName())
              .append("description", rule.getDescription()));
    }
    return new Document("eventId", d.getEventId())
        .append("occurredAt", java.util.Date.from(d.getOccurredAt()))
        .append("correlationId", d.getCorrelationId())
        .append("userId", d.getUserId())
        .append("actionCode", d.getActionCode())
        .append("idempotencyKey", d.getIdempotencyKey())
        .append("decision", d.getDecision().name())
        .append("ruleIds", d.getRuleIds())
        .append("rules", matched)
        .append("defaultOutcome", d.getDefaultOutcome())
        .append("replyTo", d.getReplyTo())
        .append("requestEventId", d.getRequestEventId())
        .append("signals", new Document(new LinkedHashMap<String, Object>(d.getSignals())))
        .append("evaluationMillis", d.getEvaluationMillis());
  }

  static ActionDecided fromDocument(Document doc) {
    List<MatchedRule> matched = new ArrayList<>();
    for (Document rule : doc.getList("rules", Document.class)) {
      matched.add(
          new MatchedRule(
              rule.getString("ruleId"), rule.getString("name"), rule.getString("description")));
    }
    Map<String, String> signalMap = new LinkedHashMap<>();
    doc.get("signals", Document.class).forEach((k, v) -> signalMap.put(k, String.valueOf(v)));
    return ActionDecided.newBuilder()
        .setEventId(doc.getString("eventId"))
        .setOccurredAt(Instant.ofEpochMilli(doc.getDate("occurredAt").getTime()))
        .setCorrelationId(doc.getString("correlationId"))
        .setUserId(doc.getString("userId"))
        .setActionCode(doc.getString("actionCode"))
        .setIdempotencyKey(doc.getString("idempotencyKey"))
        .setDecision(ActionDecision.valueOf(doc.getString("decision")))
        .setRuleIds(doc.getList("ruleIds", String.class))
        .setRules(matched)
        .setDefaultOutcome(doc.getBoolean("defaultOutcome"))
        .setReplyTo(doc.getString("replyTo"))
        .setRequestEventId(doc.getString("requestEventId"))
        .setSignals(signalMap)
        .setEvaluationMillis(doc.getLong("evaluationMillis"))
        .build();
  }
}
