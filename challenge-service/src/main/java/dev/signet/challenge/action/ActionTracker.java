package dev.signet.challenge.action;

import dev.signet.challenge.action.ActionLifecycle.Transition;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.User;
import dev.signet.challenge.user.UserStore;
import dev.signet.events.Topics;
import dev.signet.events.action.ActionTracked;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tracks an action: records it, asks rules-service for a decision and gives the action its first
 * state, from the decision or, when none arrives within the deadline, from the action's fallback.
 *
 * <p>The action is inserted in the state {@code DECIDING} together with its {@code ActionTracked}
 * event (the decision request) in one document write; the insert is keyed by user, action code and
 * idempotency key, so a repeated key never creates a second action, also when two requests race on
 * two instances: the loser of the insert waits for the winner's state. The first state is set by a
 * conditional update from {@code DECIDING}, so the decision, a late decision and the fallback can
 * race and exactly one wins. An action left {@code DECIDING} by an instance that died gets its
 * fallback from whoever reads it after the deadline.
 */
@Component
class ActionTracker {

  private static final Logger log = LoggerFactory.getLogger(ActionTracker.class);

  /** Extra wait, beyond the deadline, before a reader applies the fallback to a stuck action. */
  static final Duration STALE_GRACE = Duration.ofMillis(500);

  private static final Duration POLL = Duration.ofMillis(20);

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final UserStore users;
  private final ActionLifecycle lifecycle;
  private final DecisionReplies replies;
  private final ActionProperties properties;
  private final Clock clock;

  ActionTracker(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      UserStore users,
      ActionLifecycle lifecycle,
      DecisionReplies replies,
      ActionProperties properties,
      Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.users = users;
    this.lifecycle = lifecycle;
    this.replies = replies;
    this.properties = properties;
    this.clock = clock;
    replies.onLateDecision(this::lateDecision);
  }

  /** Indexes for a user's action list and for the outbox relay's scan. */
  @EventListener(ApplicationReadyEvent.class)
  void createIndexes() {
    var ops = mongo.indexOps(ActionStore.COLLECTION);
    ops.createIndex(
            new Index()
                .on(ActionDocuments.USER_ID, Sort.Direction.ASC)
                .on(ActionDocuments.CREATED_AT, Sort.Direction.DESC))
        .then(ops.createIndex(new Index().on(Outbox.FIELD + ".createdAt", Sort.Direction.ASC)))
        .subscribe(null, e -> log.warn("actions index creation failed reason={}", e.toString()));
  }

  /** The tracked action with its state, and the user as it was when it was tracked. */
  record Tracked(Action action, boolean isEnrolled) {}

  Mono<Tracked> track(TrackCommand command) {
    String key =
        command.idempotencyKey() == null ? UUID.randomUUID().toString() : command.idempotencyKey();
    return user(command)
        .flatMap(
            user -> {
              boolean enrolled = user.isEnrolled();
              Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
              Instant deadline = now.plus(properties.decisionTimeout());
              String eventId = UUID.randomUUID().toString();
              ActionTracked event = trackedEvent(command, key, user, eventId, now, deadline);
              OutboxEvent wrapped =
                  outbox.wrap(eventId, Topics.ACTION_TRACKED.name(), command.userId(), event);
              Action deciding =
                  new Action(
                      command.userId(),
                      command.actionCode(),
                      key,
                      null,
                      now,
                      now,
                      now,
                      null,
                      List.of(),
                      command.ipAddress(),
                      command.userAgent(),
                      command.deviceId(),
                      command.scope(),
                      enrolled,
                      null,
                      null);
              String id = ActionStore.id(command.userId(), command.actionCode(), key);
              // Listen before the request can be answered.
              Mono<Optional<Decision>> answer =
                  replies.await(eventId, properties.decisionTimeout());
              return mongo
                  .insert(
                      document(id, deciding, deadline, eventId, wrapped, command.redirectUrl()),
                      ActionStore.COLLECTION)
                  .flatMap(
                      inserted ->
                          outbox
                              .publishInBackground(ActionStore.COLLECTION, id, List.of(wrapped))
                              .then(answer)
                              .flatMap(
                                  decision ->
                                      applyFirstState(deciding, decision, command.correlationId())))
                  .onErrorResume(
                      DuplicateKeyException.class,
                      e -> {
                        replies.forget(eventId);
                        return awaitDecided(id);
                      })
                  .map(action -> new Tracked(action, action.isEnrolled()))
                  // Never leave a registered wait behind (an insert that failed otherwise).
                  .doFinally(signal -> replies.forget(eventId));
            });
  }

  /**
   * The action once it has a state: at once when it has one, else after its decision or, when its
   * deadline passed (with a grace for the tracking instance to finish), with the fallback applied
   * here. Empty when the action does not exist.
   */
  Mono<Action> awaitDecided(String id) {
    Mono<Optional<Document>> read =
        Mono.defer(() -> lifecycle.load(id).map(Optional::of).defaultIfEmpty(Optional.empty()));
    return read.filter(doc -> doc.isEmpty() || !isDeciding(doc.get()) || stale(doc.get()))
        .repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks.delayElements(POLL))
        .flatMap(
            doc -> {
              if (doc.isEmpty()) {
                return Mono.empty();
              }
              Action action = ActionDocuments.read(doc.get());
              return action.deciding()
                  ? applyFirstState(action, Optional.empty(), "")
                  : Mono.just(action);
            })
        .timeout(properties.decisionTimeout().plus(STALE_GRACE).multipliedBy(4));
  }

  /** An action whose decision is awaited past its deadline and grace: stuck, its waiter gone. */
  boolean stale(Document doc) {
    Instant deadline = ActionDocuments.instant(doc.get(ActionDocuments.DECISION_DEADLINE));
    return deadline == null || clock.instant().isAfter(deadline.plus(STALE_GRACE));
  }

  static boolean isDeciding(Document doc) {
    return ActionDocuments.DECIDING.equals(doc.getString(ActionDocuments.STATE));
  }

  private Mono<Action> applyFirstState(
      Action deciding, Optional<Decision> decision, String correlationId) {
    ActionState state;
    List<ActionRule> rules;
    StateChangeCause cause;
    String outcome = null;
    if (decision.isPresent() && decision.get().outcome() != Decision.Outcome.UNKNOWN) {
      Decision d = decision.get();
      outcome = d.outcome().name();
      rules = d.rules();
      cause = StateChangeCause.DECISION;
      state =
          switch (d.outcome()) {
            case ALLOW -> ActionState.ALLOW;
            case BLOCK -> ActionState.BLOCK;
            case REVIEW -> ActionState.REVIEW_REQUIRED;
            default -> ActionState.CHALLENGE_REQUIRED;
          };
      if (state == ActionState.CHALLENGE_REQUIRED && !deciding.isEnrolled()) {
        // Nothing to challenge a user without an authenticator with: the SDKs expect ALLOW with
        // isEnrolled false, and enrolment with the token.
        state = ActionState.ALLOW;
        cause = StateChangeCause.NOT_ENROLLED;
      }
    } else {
      state = properties.fallbackFor(deciding.actionCode()).of(deciding.isEnrolled());
      rules = List.of(fallbackRule(state));
      cause = StateChangeCause.DECISION_TIMEOUT_FALLBACK;
      log.warn(
          "no decision in time, fallback applied userId={} actionCode={} idempotencyKey={}"
              + " state={}",
          deciding.userId(),
          deciding.actionCode(),
          deciding.idempotencyKey(),
          state);
    }
    return lifecycle
        .decide(
            deciding,
            state,
            rules,
            cause,
            new ActionOutput(state, outcome, cause.name()),
            correlationId)
        .flatMap(
            transition ->
                transition instanceof Transition.Moved moved
                    ? Mono.just(moved.action())
                    // Someone else set the first state (a late decision, a racing reader): theirs.
                    : awaitDecided(
                        ActionStore.id(
                            deciding.userId(), deciding.actionCode(), deciding.idempotencyKey())));
  }

  private ActionRule fallbackRule(ActionState state) {
    return new ActionRule(
        Action.FALLBACK_RULE_ID,
        "Decision timeout fallback",
        "No decision from rules-service within "
            + properties.decisionTimeout().toMillis()
            + " ms: the action's fallback "
            + state
            + " applied.");
  }

  /**
   * A decision for this instance that came after its deadline: applied if the action still waits
   * (its tracking instance may have died), else only recorded on the action.
   */
  private void lateDecision(DecisionReplies.LateDecision late) {
    String id = ActionStore.id(late.userId(), late.actionCode(), late.idempotencyKey());
    lifecycle
        .load(id)
        .flatMap(
            doc -> {
              if (!late.requestEventId().equals(doc.getString(ActionDocuments.REQUEST_EVENT_ID))) {
                return Mono.empty();
              }
              if (isDeciding(doc)) {
                return applyFirstState(ActionDocuments.read(doc), Optional.of(late.decision()), "")
                    .then();
              }
              Document record =
                  new Document("decision", late.decision().outcome().name())
                      .append(
                          "ruleIds",
                          late.decision().rules().stream().map(ActionRule::ruleId).toList())
                      .append("receivedAt", Date.from(clock.instant()));
              return mongo
                  .updateFirst(
                      org.springframework.data.mongodb.core.query.Query.query(
                          org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
                      new org.springframework.data.mongodb.core.query.Update()
                          .set(ActionDocuments.LATE_DECISION, record),
                      ActionStore.COLLECTION)
                  .then();
            })
        .subscribe(
            done -> {},
            e ->
                log.warn(
                    "late decision not recorded userId={} actionCode={} reason={}",
                    late.userId(),
                    late.actionCode(),
                    e.toString()),
            () ->
                log.info(
                    "late decision received userId={} actionCode={} idempotencyKey={} decision={}",
                    late.userId(),
                    late.actionCode(),
                    late.idempotencyKey(),
                    late.decision().outcome()));
  }

  private Mono<User> user(TrackCommand command) {
    return users
        .find(command.userId())
        .flatMap(
            found ->
                found.isPresent()
                    ? Mono.just(found.get())
                    : users.update(command.userId(), command.newUser(), command.correlationId()));
  }

  private ActionTracked trackedEvent(
      TrackCommand command, String key, User user, String eventId, Instant now, Instant deadline) {
    Map<String, Object> custom = new LinkedHashMap<>();
    command.custom().forEach(custom::put);
    Optional<SmsAuthenticator> sms = user.defaultSmsAuthenticator();
    return ActionTracked.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(now)
        .setCorrelationId(command.correlationId())
        .setUserId(command.userId())
        .setActionCode(command.actionCode())
        .setIdempotencyKey(key)
        .setReplyTo(replies.replyTo())
        .setDecisionDeadline(deadline)
        .setIpAddress(command.ipAddress())
        .setUserAgent(command.userAgent())
        .setDeviceId(command.deviceId())
        .setScopes(
            command.scope().isEmpty()
                ? List.of()
                : Arrays.stream(command.scope().split(" ")).toList())
        .setCustom(custom)
        .setLocale(command.locale())
        .setIsEnrolled(user.isEnrolled())
        .setEnrolledVerificationMethods(
            user.isEnrolled() ? List.of(SmsAuthenticator.VERIFICATION_METHOD) : List.of())
        .setPhoneCountryCode(sms.map(SmsAuthenticator::countryCode).orElse(null))
        .build();
  }

  private static Document document(
      String id,
      Action action,
      Instant deadline,
      String eventId,
      OutboxEvent event,
      String redirectUrl) {
    Date now = Date.from(action.createdAt());
    Document document = new Document(ActionDocuments.ID, id);
    if (redirectUrl != null) {
      // Where the hosted page returns in redirect mode: taken from here, never from the page's URL.
      document.append(ActionStore.UI, new Document(ActionStore.UI_REDIRECT_URL, redirectUrl));
    }
    return document
        .append(ActionDocuments.USER_ID, action.userId())
        .append(ActionDocuments.ACTION_CODE, action.actionCode())
        .append(ActionDocuments.IDEMPOTENCY_KEY, action.idempotencyKey())
        .append(ActionDocuments.STATE, ActionDocuments.DECIDING)
        .append(ActionDocuments.CREATED_AT, now)
        .append(ActionDocuments.UPDATED_AT, now)
        .append(ActionDocuments.STATE_UPDATED_AT, now)
        .append(ActionDocuments.IP_ADDRESS, action.ipAddress())
        .append(ActionDocuments.USER_AGENT, action.userAgent())
        .append(ActionDocuments.DEVICE_ID, action.deviceId())
        .append(ActionDocuments.SCOPE, action.scope())
        .append(ActionDocuments.IS_ENROLLED, action.isEnrolled())
        .append(ActionDocuments.RULES, List.of())
        .append(ActionDocuments.DECISION_DEADLINE, Date.from(deadline))
        .append(ActionDocuments.REQUEST_EVENT_ID, eventId)
        .append(Outbox.FIELD, List.of(event.toDocument()));
  }
}
