package dev.signet.challenge.action;

import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The actions in a map, for fast tests: each conditional write is one atomic {@code compute} on the
 * action's entry, as each is one document write in MongoDB. {@link ActionStoreContract} keeps it
 * honest against {@link MongoActionStore}.
 */
final class InMemoryActionStore implements ActionStore {

  private final Map<String, Action> actions = new ConcurrentHashMap<>();
  private final Map<String, List<OutboxEvent>> outboxes = new ConcurrentHashMap<>();
  private final Clock clock;

  InMemoryActionStore(Clock clock) {
    this.clock = clock;
  }

  /** The events written with the action's changes, in order. */
  List<OutboxEvent> events(String id) {
    return List.copyOf(outboxes.getOrDefault(id, List.of()));
  }

  @Override
  public Mono<Boolean> insertDeciding(Action deciding, OutboxEvent request) {
    return Mono.fromSupplier(
        () -> {
          boolean inserted = actions.putIfAbsent(deciding.id(), deciding) == null;
          if (inserted) {
            outbox(deciding.id(), request);
          }
          return inserted;
        });
  }

  @Override
  public Mono<Action> find(String id) {
    return Mono.fromSupplier(() -> actions.get(id));
  }

  @Override
  public Mono<Action> replace(Action next, ActionState expected, OutboxEvent event) {
    return Mono.fromSupplier(
        () -> {
          AtomicBoolean written = new AtomicBoolean();
          Action stored =
              actions.computeIfPresent(
                  next.id(),
                  (id, current) -> {
                    if (current.state() != expected) {
                      return current;
                    }
                    written.set(true);
                    return merged(current, next);
                  });
          if (!written.get()) {
            return null;
          }
          outbox(next.id(), event);
          return stored;
        });
  }

  /** What a replace writes: the state and what moved with it; absent values keep the stored. */
  private static Action merged(Action current, Action next) {
    return new Action(
        current.userId(),
        current.actionCode(),
        current.idempotencyKey(),
        next.state(),
        current.createdAt(),
        next.updatedAt(),
        next.stateUpdatedAt(),
        next.verificationMethod() != null
            ? next.verificationMethod()
            : current.verificationMethod(),
        next.rules().isEmpty() ? current.rules() : next.rules(),
        current.ipAddress(),
        current.userAgent(),
        current.deviceId(),
        current.scope(),
        current.isEnrolled(),
        next.output() != null ? next.output() : current.output(),
        next.verifiedByAuthenticatorId() != null
            ? next.verifiedByAuthenticatorId()
            : current.verifiedByAuthenticatorId(),
        current.decision(),
        current.page());
  }

  @Override
  public Mono<Boolean> markHostedPageOpened(String id, Instant at) {
    return Mono.fromSupplier(
        () -> {
          AtomicBoolean first = new AtomicBoolean();
          actions.computeIfPresent(
              id,
              (key, current) -> {
                if (current.openedInHostedPage()) {
                  return current;
                }
                first.set(true);
                return withPage(
                    current, new Action.HostedPageVisit(current.page().redirectUrl(), at));
              });
          return first.get();
        });
  }

  @Override
  public Mono<Void> recordLateDecision(String id, Decision decision, Instant receivedAt) {
    return Mono.empty();
  }

  @Override
  public Flux<Action> list(
      String userId, Instant from, List<String> codes, ActionState state, int limit) {
    return Flux.defer(
        () ->
            Flux.fromStream(
                actions.values().stream()
                    .filter(a -> a.userId().equals(userId))
                    .filter(a -> from == null || !a.createdAt().isBefore(from))
                    .filter(a -> codes.isEmpty() || codes.contains(a.actionCode()))
                    .filter(a -> state == null || a.deciding() || a.state() == state)
                    .sorted(Comparator.comparing(Action::createdAt).reversed())
                    .limit(limit)));
  }

  @Override
  public Mono<Boolean> insertClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod) {
    return Mono.fromSupplier(
        () ->
            actions.putIfAbsent(
                    ActionStore.id(userId, actionCode, idempotencyKey),
                    claimed(userId, actionCode, idempotencyKey, state, verificationMethod, true))
                == null);
  }

  @Override
  public Mono<Void> recordClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod) {
    return Mono.fromRunnable(
        () -> {
          Action claimed =
              claimed(userId, actionCode, idempotencyKey, state, verificationMethod, false);
          actions.merge(
              claimed.id(),
              claimed,
              (current, fresh) ->
                  new Action(
                      userId,
                      actionCode,
                      idempotencyKey,
                      state,
                      current.createdAt(),
                      fresh.updatedAt(),
                      fresh.stateUpdatedAt(),
                      verificationMethod,
                      current.rules(),
                      current.ipAddress(),
                      current.userAgent(),
                      current.deviceId(),
                      current.scope(),
                      current.isEnrolled(),
                      current.output(),
                      current.verifiedByAuthenticatorId(),
                      current.decision(),
                      current.page()));
        });
  }

  private Action claimed(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod,
      boolean withOutput) {
    Instant now = clock.instant();
    return new Action(
        userId,
        actionCode,
        idempotencyKey,
        state,
        now,
        now,
        now,
        verificationMethod,
        List.of(),
        null,
        null,
        null,
        "",
        false,
        withOutput ? new ActionOutput(state, null, "CLAIM") : null,
        null,
        null,
        null);
  }

  private void outbox(String id, OutboxEvent event) {
    outboxes.computeIfAbsent(id, key -> java.util.Collections.synchronizedList(new ArrayList<>()));
    outboxes.get(id).add(event);
  }

  private static Action withPage(Action a, Action.HostedPageVisit page) {
    return new Action(
        a.userId(),
        a.actionCode(),
        a.idempotencyKey(),
        a.state(),
        a.createdAt(),
        a.updatedAt(),
        a.stateUpdatedAt(),
        a.verificationMethod(),
        a.rules(),
        a.ipAddress(),
        a.userAgent(),
        a.deviceId(),
        a.scope(),
        a.isEnrolled(),
        a.output(),
        a.verifiedByAuthenticatorId(),
        a.decision(),
        page);
  }
}
