package dev.signet.challenge.action;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The lifecycle of tracked actions, for every part of challenge-service that moves one: the track
 * endpoint (the decision), {@code PATCH} of an action (reviews), and the client API's verify (the
 * challenge outcome).
 *
 * <p>Every move is one conditional MongoDB update: it matches only while the action is still in the
 * state the caller expects, and it stores the {@code auth.action.state-changed.v1} event in the
 * action's outbox in the same write. Two racing moves from one state therefore give exactly one
 * winner; the loser gets {@link Transition.Refused} with the state it lost to.
 *
 * <p>How the client API uses it (scenario S2): after a code for the token's action verified, call
 * {@code transition(new TransitionRequest(userId, actionCode, idempotencyKey, CHALLENGE_REQUIRED,
 * CHALLENGE_SUCCEEDED, CHALLENGE_VERIFIED, "SMS", challengeId, null, correlationId))} and send the
 * HTTP response only when the returned Mono completed, so that a {@code /v1/validate} right after
 * the response sees {@code CHALLENGE_SUCCEEDED}. When the challenge is dead (attempts exhausted)
 * move to {@code CHALLENGE_FAILED} with cause {@code CHALLENGE_FAILED}. A {@link
 * Transition.Refused} means the action is unknown, or no longer in the expected state (a replayed
 * or concurrent verify already moved it): answer the client without a success. {@link #find} reads
 * an action (e.g. to check it is {@code CHALLENGE_REQUIRED} before sending a code).
 */
@Component
public class ActionLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ActionLifecycle.class);

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final Clock clock;

  ActionLifecycle(ReactiveMongoTemplate mongo, Outbox outbox, Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * A requested move.
   *
   * @param userId the action's user
   * @param actionCode the action's code
   * @param idempotencyKey the action's idempotency key
   * @param from the state the caller saw (the move applies only while the action is in it)
   * @param to the new state; {@code from.canMoveTo(to)} must hold
   * @param cause what moves it (goes into the event)
   * @param verificationMethod the method of the challenge that resolved it (e.g. SMS), or null to
   *     keep the stored one
   * @param challengeId the challenge that resolved it, or null
   * @param reviewedBy who resolved a review ({@code api}, an operator name), or null
   * @param correlationId id of the request flow, for the event
   * @param via where the client challenge that resolved it was completed, or null
   * @param verifiedByAuthenticatorId the authenticator whose code resolved it, or null
   */
  public record TransitionRequest(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState from,
      ActionState to,
      StateChangeCause cause,
      String verificationMethod,
      String challengeId,
      String reviewedBy,
      String correlationId,
      CompletedVia via,
      String verifiedByAuthenticatorId) {

    /** A move that did not come from a client challenge. */
    public TransitionRequest(
        String userId,
        String actionCode,
        String idempotencyKey,
        ActionState from,
        ActionState to,
        StateChangeCause cause,
        String verificationMethod,
        String challengeId,
        String reviewedBy,
        String correlationId,
        CompletedVia via) {
      this(
          userId,
          actionCode,
          idempotencyKey,
          from,
          to,
          cause,
          verificationMethod,
          challengeId,
          reviewedBy,
          correlationId,
          via,
          null);
    }

    /** A move that no client challenge made. */
    public TransitionRequest(
        String userId,
        String actionCode,
        String idempotencyKey,
        ActionState from,
        ActionState to,
        StateChangeCause cause,
        String verificationMethod,
        String challengeId,
        String reviewedBy,
        String correlationId) {
      this(
          userId,
          actionCode,
          idempotencyKey,
          from,
          to,
          cause,
          verificationMethod,
          challengeId,
          reviewedBy,
          correlationId,
          null,
          null);
    }
  }

  /** Outcome of {@link #transition}. */
  public sealed interface Transition {

    /** The action moved; {@code action} is its state after the move. */
    record Moved(Action action, ActionState previous) implements Transition {}

    /**
     * The action did not move: it does not exist ({@code current} empty), the lifecycle does not
     * allow the move, or the action is not (any more) in the expected state.
     */
    record Refused(Reason reason, Optional<Action> current) implements Transition {}

    /** Why a move was refused. */
    enum Reason {
      NOT_FOUND,
      NOT_ALLOWED,
      STATE_CHANGED
    }
  }

  /** The action, or empty when unknown. An action whose decision is awaited has a null state. */
  public Mono<Optional<Action>> find(String userId, String actionCode, String idempotencyKey) {
    return load(ActionStore.id(userId, actionCode, idempotencyKey))
        .map(doc -> Optional.of(ActionDocuments.read(doc)))
        .defaultIfEmpty(Optional.empty());
  }

  /**
   * Whether the hosted page was opened for this action attempt (its first open is recorded once on
   * the document), the check behind the page's header claim.
   */
  public Mono<Boolean> openedInHostedPage(String userId, String actionCode, String idempotencyKey) {
    return load(ActionStore.id(userId, actionCode, idempotencyKey))
        .map(doc -> via(CompletedVia.PREBUILT_UI, doc) == CompletedVia.PREBUILT_UI)
        .defaultIfEmpty(false);
  }

  /** Applies a move of the lifecycle atomically with its event; see the class comment. */
  public Mono<Transition> transition(TransitionRequest request) {
    if (request.from() == null || request.to() == null || !request.from().canMoveTo(request.to())) {
      return find(request.userId(), request.actionCode(), request.idempotencyKey())
          .map(current -> new Transition.Refused(Transition.Reason.NOT_ALLOWED, current));
    }
    String id = ActionStore.id(request.userId(), request.actionCode(), request.idempotencyKey());
    return load(id)
        .flatMap(
            doc -> {
              Action current = ActionDocuments.read(doc);
              if (current.state() != request.from()) {
                return Mono.<Transition>just(
                    new Transition.Refused(Transition.Reason.STATE_CHANGED, Optional.of(current)));
              }
              return move(
                  id,
                  current,
                  request.from().name(),
                  request.to(),
                  new Moving(
                      null,
                      null,
                      request.cause(),
                      request.verificationMethod(),
                      request.challengeId(),
                      request.reviewedBy(),
                      null,
                      request.verifiedByAuthenticatorId(),
                      via(request.via(), doc)),
                  request.correlationId());
            })
        .switchIfEmpty(
            Mono.fromSupplier(
                () -> new Transition.Refused(Transition.Reason.NOT_FOUND, Optional.empty())));
  }

  /**
   * Gives an action whose decision is awaited its first state, with the rules behind it. Refused
   * with {@code STATE_CHANGED} when another caller (a second instance, the fallback) was first.
   */
  Mono<Transition> decide(
      Action deciding,
      ActionState state,
      List<ActionRule> rules,
      StateChangeCause cause,
      ActionOutput output,
      String correlationId) {
    String id = ActionStore.id(deciding.userId(), deciding.actionCode(), deciding.idempotencyKey());
    return move(
        id,
        deciding,
        ActionDocuments.DECIDING,
        state,
        new Moving(rules, output, cause, null, null, null, null, null, null),
        correlationId);
  }

  /**
   * The pre-built UI is recorded only for an action attempt whose hosted page was opened: the page
   * says so in a header, which anyone holding the token could send, so the claim is checked against
   * the document.
   */
  private static CompletedVia via(CompletedVia claimed, Document doc) {
    if (claimed != CompletedVia.PREBUILT_UI) {
      return claimed;
    }
    Object ui = doc.get(ActionStore.UI);
    boolean opened = ui instanceof Document page && page.get(ActionStore.UI_OPENED_AT) != null;
    return opened ? CompletedVia.PREBUILT_UI : CompletedVia.CLIENT_API;
  }

  /**
   * Sets an action's state through the server API, which holds the secret and may set any state of
   * the enum (as Authsignal's {@code updateAction} does), not only the lifecycle's moves. Still one
   * conditional update from the state the caller saw, with its state-changed event: cause {@code
   * REVIEW} when it resolves a review, {@code MANUAL} otherwise, and the kind of credential used.
   * The client API never calls this: it keeps the strict lifecycle of {@link #transition}.
   */
  public Mono<Transition> setManually(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState from,
      ActionState to,
      String credentialKind,
      String correlationId) {
    if (from == null || to == null) {
      return find(userId, actionCode, idempotencyKey)
          .map(current -> new Transition.Refused(Transition.Reason.NOT_ALLOWED, current));
    }
    boolean review = from == ActionState.REVIEW_REQUIRED && from.canMoveTo(to);
    String id = ActionStore.id(userId, actionCode, idempotencyKey);
    return load(id)
        .flatMap(
            doc -> {
              Action current = ActionDocuments.read(doc);
              if (current.state() != from) {
                return Mono.<Transition>just(
                    new Transition.Refused(Transition.Reason.STATE_CHANGED, Optional.of(current)));
              }
              return move(
                  id,
                  current,
                  from.name(),
                  to,
                  new Moving(
                      null,
                      null,
                      review ? StateChangeCause.REVIEW : StateChangeCause.MANUAL,
                      null,
                      null,
                      "api",
                      credentialKind,
                      null,
                      null),
                  correlationId);
            })
        .switchIfEmpty(
            Mono.fromSupplier(
                () -> new Transition.Refused(Transition.Reason.NOT_FOUND, Optional.empty())));
  }

  /** What a move writes besides the state; nulls keep what is stored. */
  private record Moving(
      List<ActionRule> rules,
      ActionOutput output,
      StateChangeCause cause,
      String verificationMethod,
      String challengeId,
      String reviewedBy,
      String credentialKind,
      String verifiedByAuthenticatorId,
      CompletedVia via) {}

  Mono<Document> load(String id) {
    Query query = Query.query(Criteria.where(ActionDocuments.ID).is(id));
    query.fields().exclude(Outbox.FIELD);
    return mongo.findOne(query, Document.class, ActionStore.COLLECTION);
  }

  private Mono<Transition> move(
      String id,
      Action current,
      String expectedState,
      ActionState to,
      Moving moving,
      String correlationId) {
    List<ActionRule> rules = moving.rules();
    ActionOutput output = moving.output();
    StateChangeCause cause = moving.cause();
    String verificationMethod = moving.verificationMethod();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Action next =
        new Action(
            current.userId(),
            current.actionCode(),
            current.idempotencyKey(),
            to,
            current.createdAt(),
            now,
            now,
            verificationMethod != null ? verificationMethod : current.verificationMethod(),
            rules != null ? rules : current.rules(),
            current.ipAddress(),
            current.userAgent(),
            current.deviceId(),
            current.scope(),
            current.isEnrolled(),
            output != null ? output : current.output(),
            moving.verifiedByAuthenticatorId() != null
                ? moving.verifiedByAuthenticatorId()
                : current.verifiedByAuthenticatorId());
    ActionStateChanged event =
        ActionEvents.stateChanged(
            next,
            current.state(),
            cause,
            moving.challengeId(),
            moving.reviewedBy(),
            moving.credentialKind(),
            correlationId,
            now,
            moving.via());
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.ACTION_STATE_CHANGED.name(), next.userId(), event);
    Query query =
        Query.query(
            Criteria.where(ActionDocuments.ID).is(id).and(ActionDocuments.STATE).is(expectedState));
    query.fields().exclude(Outbox.FIELD);
    Update update =
        new Update()
            .set(ActionDocuments.STATE, to.name())
            .set(ActionDocuments.STATE_UPDATED_AT, Date.from(now))
            .set(ActionDocuments.UPDATED_AT, Date.from(now))
            .push(Outbox.FIELD, wrapped.toDocument());
    if (verificationMethod != null) {
      update.set(ActionDocuments.VERIFICATION_METHOD, verificationMethod);
    }
    if (rules != null) {
      update.set(ActionDocuments.RULES, ActionDocuments.rules(rules));
    }
    if (output != null) {
      update.set(ActionDocuments.OUTPUT, ActionDocuments.output(output));
    }
    if (moving.verifiedByAuthenticatorId() != null) {
      update.set(ActionDocuments.VERIFIED_BY_AUTHENTICATOR_ID, moving.verifiedByAuthenticatorId());
    }
    return mongo
        .findAndModify(
            query,
            update,
            FindAndModifyOptions.options().returnNew(true),
            Document.class,
            ActionStore.COLLECTION)
        .flatMap(
            moved -> {
              log.info(
                  "action state changed userId={} actionCode={} idempotencyKey={} from={} to={}"
                      + " cause={}",
                  next.userId(),
                  next.actionCode(),
                  next.idempotencyKey(),
                  expectedState,
                  to,
                  cause);
              return outbox
                  .publishInBackground(ActionStore.COLLECTION, id, List.of(wrapped))
                  .thenReturn(
                      (Transition)
                          new Transition.Moved(ActionDocuments.read(moved), current.state()));
            })
        .switchIfEmpty(
            Mono.defer(
                () ->
                    load(id)
                        .map(
                            doc ->
                                (Transition)
                                    new Transition.Refused(
                                        Transition.Reason.STATE_CHANGED,
                                        Optional.of(ActionDocuments.read(doc))))
                        .defaultIfEmpty(
                            new Transition.Refused(
                                Transition.Reason.NOT_FOUND, Optional.empty()))));
  }
}
