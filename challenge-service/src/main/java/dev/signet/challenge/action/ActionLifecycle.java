package dev.signet.challenge.action;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Moves tracked actions, for every part of challenge-service that moves one: the track endpoint
 * (the decision), {@code PATCH} of an action (reviews and manual changes), and the client API's
 * verify (the challenge outcome). {@link Action} decides whether a move applies; the {@link
 * ActionStore} writes it with its {@code auth.action.state-changed.v1} event only while the action
 * is still in the state it was read in, so two racing moves give exactly one winner and the loser
 * gets {@link Transition.Refused} with the state it lost to.
 *
 * <p>The client API (scenario S2), after a code for the token's action verified, moves it with
 * {@link ActionChange#challengeOutcome} to {@code CHALLENGE_SUCCEEDED} (or, when the challenge is
 * dead, {@code CHALLENGE_FAILED}) and answers only when the returned Mono completed, so that a
 * {@code /v1/validate} right after the response sees the new state. A {@link Transition.Refused}
 * means the action is unknown, or no longer in the expected state (a replayed or concurrent verify
 * already moved it): answer the client without a success.
 */
@Component
public class ActionLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ActionLifecycle.class);

  private final ActionStore store;
  private final Outbox outbox;
  private final Clock clock;

  ActionLifecycle(ActionStore store, Outbox outbox, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** The action, or empty when unknown. An action whose decision is awaited has a null state. */
  public Mono<Optional<Action>> find(String userId, String actionCode, String idempotencyKey) {
    return store
        .find(ActionStore.id(userId, actionCode, idempotencyKey))
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty());
  }

  /**
   * Whether the hosted page was opened for this action attempt (its first open is recorded once on
   * the action), the check behind the page's header claim.
   */
  public Mono<Boolean> openedInHostedPage(String userId, String actionCode, String idempotencyKey) {
    return find(userId, actionCode, idempotencyKey)
        .map(found -> found.map(Action::openedInHostedPage).orElse(false));
  }

  /**
   * Applies a move atomically with its event; see the class comment. The server API's manual
   * changes ({@link ActionChange#manual}) may set any state; the client API keeps the strict
   * lifecycle.
   */
  public Mono<Transition> transition(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionChange change,
      String correlationId) {
    return find(userId, actionCode, idempotencyKey)
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                Transition.Reason reason =
                    change.allowed() ? Transition.Reason.NOT_FOUND : Transition.Reason.NOT_ALLOWED;
                return Mono.just(new Transition.Refused(reason, Optional.empty()));
              }
              Action current = found.get();
              Transition decided = current.move(change, now());
              return write(current, decided, change, current.via(change.via()), correlationId);
            });
  }

  /**
   * Gives an action whose decision is awaited its first state, with the rules behind it. Refused
   * with {@code STATE_CHANGED} when another caller (a second instance, the fallback) was first.
   */
  Mono<Transition> decide(Action deciding, FirstState first, String correlationId) {
    ActionChange change =
        new ActionChange(
            null, first.state(), false, first.cause(), null, null, null, null, null, null);
    return write(deciding, deciding.decide(first, now()), change, null, correlationId);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private Mono<Transition> write(
      Action current,
      Transition decided,
      ActionChange change,
      CompletedVia via,
      String correlationId) {
    if (!(decided instanceof Transition.Moved moved)) {
      return Mono.just(decided);
    }
    Action next = moved.action();
    ActionStateChanged event =
        ActionEvents.stateChanged(
            next,
            current.state(),
            change.cause(),
            change.challengeId(),
            change.reviewedBy(),
            change.credentialKind(),
            correlationId,
            next.stateUpdatedAt(),
            via);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.ACTION_STATE_CHANGED.name(), next.userId(), event);
    return store
        .replace(next, current.state(), wrapped)
        .flatMap(
            stored -> {
              log.info(
                  "action state changed userId={} actionCode={} idempotencyKey={} from={} to={}"
                      + " cause={}",
                  next.userId(),
                  next.actionCode(),
                  next.idempotencyKey(),
                  ActionDocuments.stateName(current.state()),
                  next.state(),
                  change.cause());
              return outbox
                  .publishInBackground(ActionStore.COLLECTION, next.id(), List.of(wrapped))
                  .thenReturn((Transition) new Transition.Moved(stored, current.state()));
            })
        .switchIfEmpty(
            Mono.defer(
                () ->
                    store
                        .find(next.id())
                        .map(
                            now ->
                                (Transition)
                                    new Transition.Refused(
                                        Transition.Reason.STATE_CHANGED, Optional.of(now)))
                        .defaultIfEmpty(
                            new Transition.Refused(
                                Transition.Reason.NOT_FOUND, Optional.empty()))));
  }
}
