package dev.signet.challenge.action;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tracks an action: records it, asks rules-service for a decision and gives the action its first
 * state, from the decision or, when none arrives within the deadline, from the action's fallback.
 *
 * <p>The action is inserted awaiting its decision together with its {@code ActionTracked} event
 * (the decision request) in one write; the insert is keyed by user, action code and idempotency
 * key, so a repeated key never creates a second action, also when two requests race on two
 * instances: the loser of the insert waits for the winner's state. The first state is a conditional
 * move from awaiting the decision, so the decision, a late decision and the fallback can race and
 * exactly one wins. An action left waiting by an instance that died gets its fallback from whoever
 * reads it after the deadline.
 */
@Component
class ActionTracker {

  private static final Logger log = LoggerFactory.getLogger(ActionTracker.class);

  private static final Duration POLL = Duration.ofMillis(20);

  private final ActionStore store;
  private final Outbox outbox;
  private final UserStore users;
  private final ActionLifecycle lifecycle;
  private final DecisionReplies replies;
  private final ActionProperties properties;
  private final Clock clock;

  ActionTracker(
      ActionStore store,
      Outbox outbox,
      UserStore users,
      ActionLifecycle lifecycle,
      DecisionReplies replies,
      ActionProperties properties,
      Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.users = users;
    this.lifecycle = lifecycle;
    this.replies = replies;
    this.properties = properties;
    this.clock = clock;
    replies.onLateDecision(this::lateDecision);
  }

  Mono<Action> track(TrackCommand command) {
    String key =
        command.idempotencyKey() == null ? UUID.randomUUID().toString() : command.idempotencyKey();
    return user(command).flatMap(user -> track(command, key, user));
  }

  private Mono<Action> track(TrackCommand command, String key, User user) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Action.DecisionRequest request =
        new Action.DecisionRequest(
            UUID.randomUUID().toString(), now.plus(properties.decisionTimeout()));
    Action deciding = Action.deciding(command, key, user.isEnrolled(), now, request);
    ActionTracked event = trackedEvent(command, deciding, user);
    OutboxEvent wrapped =
        outbox.wrap(request.eventId(), Topics.ACTION_TRACKED.name(), command.userId(), event);
    // Listen before the request can be answered.
    Mono<Optional<Decision>> answer =
        replies.await(request.eventId(), properties.decisionTimeout());
    return store
        .insertDeciding(deciding, wrapped)
        .flatMap(
            inserted -> {
              if (!inserted) {
                replies.forget(request.eventId());
                return awaitDecided(deciding.id());
              }
              return outbox
                  .publishInBackground(ActionStore.COLLECTION, deciding.id(), List.of(wrapped))
                  .then(answer)
                  .flatMap(
                      decision -> applyFirstState(deciding, decision, command.correlationId()));
            })
        // Never leave a registered wait behind (an insert that failed otherwise).
        .doFinally(signal -> replies.forget(request.eventId()));
  }

  /**
   * The action once it has a state: at once when it has one, else after its decision or, when its
   * deadline passed (with a grace for the tracking instance to finish), with the fallback applied
   * here. Empty when the action does not exist.
   */
  Mono<Action> awaitDecided(String id) {
    Mono<Optional<Action>> read =
        Mono.defer(() -> store.find(id).map(Optional::of).defaultIfEmpty(Optional.empty()));
    return read.filter(found -> found.isEmpty() || !found.get().deciding() || stale(found.get()))
        .repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks.delayElements(POLL))
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                return Mono.empty();
              }
              Action action = found.get();
              return action.deciding()
                  ? applyFirstState(action, Optional.empty(), "")
                  : Mono.just(action);
            })
        .timeout(properties.decisionTimeout().plus(Action.STALE_GRACE).multipliedBy(4));
  }

  /** An action whose decision is awaited past its deadline and grace: stuck, its waiter gone. */
  boolean stale(Action action) {
    return action.stale(clock.instant());
  }

  private Mono<Action> applyFirstState(
      Action deciding, Optional<Decision> decision, String correlationId) {
    FirstState first =
        deciding.firstState(
            decision,
            properties.fallbackFor(deciding.actionCode()).of(deciding.isEnrolled()),
            properties.decisionTimeout());
    if (first.cause() == StateChangeCause.DECISION_TIMEOUT_FALLBACK) {
      log.warn(
          "no decision in time, fallback applied userId={} actionCode={} idempotencyKey={}"
              + " state={}",
          deciding.userId(),
          deciding.actionCode(),
          deciding.idempotencyKey(),
          first.state());
    }
    return lifecycle
        .decide(deciding, first, correlationId)
        .flatMap(
            transition ->
                transition instanceof Transition.Moved moved
                    ? Mono.just(moved.action())
                    // Someone else set the first state (a late decision, a racing reader): theirs.
                    : awaitDecided(deciding.id()));
  }

  /**
   * A decision for this instance that came after its deadline: applied if the action still waits
   * (its tracking instance may have died), else only recorded on the action.
   */
  private void lateDecision(DecisionReplies.LateDecision late) {
    String id = ActionStore.id(late.userId(), late.actionCode(), late.idempotencyKey());
    store
        .find(id)
        .filter(
            action ->
                action.decision() != null
                    && late.requestEventId().equals(action.decision().eventId()))
        .flatMap(
            action ->
                action.deciding()
                    ? applyFirstState(action, Optional.of(late.decision()), "").then()
                    : store.recordLateDecision(id, late.decision(), clock.instant()))
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

  private ActionTracked trackedEvent(TrackCommand command, Action deciding, User user) {
    Map<String, Object> custom = new LinkedHashMap<>(command.custom());
    Optional<SmsAuthenticator> sms = user.defaultSmsAuthenticator();
    return ActionTracked.newBuilder()
        .setEventId(deciding.decision().eventId())
        .setOccurredAt(deciding.createdAt())
        .setCorrelationId(command.correlationId())
        .setUserId(command.userId())
        .setActionCode(command.actionCode())
        .setIdempotencyKey(deciding.idempotencyKey())
        .setReplyTo(replies.replyTo())
        .setDecisionDeadline(deciding.decision().deadline())
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
}
