package dev.signet.challenge.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * What every {@link ActionStore} must do, run against the in-memory store and the MongoDB one, so
 * the fast tests' store cannot drift from the real one.
 */
abstract class ActionStoreContract {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  ActionStore store;
  String userId;

  abstract ActionStore newStore();

  @BeforeEach
  void setUp() {
    store = newStore();
    userId = "user-" + UUID.randomUUID();
  }

  @Test
  void insertsADecidingActionOnceAndReadsItBack() {
    Action deciding = deciding("signIn", "k1", NOW, "https://app.example.com/back");

    assertThat(store.insertDeciding(deciding, event()).block()).isTrue();
    assertThat(store.insertDeciding(deciding("signIn", "k1", NOW, null), event()).block())
        .isFalse();

    Action read = store.find(deciding.id()).block();
    assertThat(read.deciding()).isTrue();
    assertThat(read.decision()).isEqualTo(deciding.decision());
    assertThat(read.page().redirectUrl()).isEqualTo("https://app.example.com/back");
    assertThat(read.openedInHostedPage()).isFalse();
    assertThat(read.createdAt()).isEqualTo(NOW);
    assertThat(read.scope()).isEqualTo("add:authenticators");
    assertThat(read.isEnrolled()).isTrue();
    assertThat(store.find("nobody:signIn:k1").block()).isNull();
  }

  @Test
  void replacesOnlyFromTheExpectedState() {
    Action deciding = deciding("signIn", "k2", NOW, null);
    store.insertDeciding(deciding, event()).block();
    Action allowed = decided(deciding, ActionState.CHALLENGE_REQUIRED);

    Action written = store.replace(allowed, null, event()).block();
    Action again = store.replace(decided(deciding, ActionState.ALLOW), null, event()).block();
    Action wrongFrom =
        store
            .replace(moved(written, ActionState.CHALLENGE_SUCCEEDED), ActionState.ALLOW, event())
            .block();

    assertThat(written.state()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(written.ruleIds()).containsExactly("r1");
    assertThat(written.output()).isEqualTo(allowed.output());
    assertThat(again).isNull();
    assertThat(wrongFrom).isNull();
    assertThat(store.find(deciding.id()).block().state()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
  }

  @Test
  void aMoveKeepsWhatItDoesNotChange() {
    Action deciding = deciding("signIn", "k3", NOW, null);
    store.insertDeciding(deciding, event()).block();
    Action decided =
        store.replace(decided(deciding, ActionState.CHALLENGE_REQUIRED), null, event()).block();

    Action succeeded =
        store
            .replace(
                moved(decided, ActionState.CHALLENGE_SUCCEEDED),
                ActionState.CHALLENGE_REQUIRED,
                event())
            .block();

    assertThat(succeeded.state()).isEqualTo(ActionState.CHALLENGE_SUCCEEDED);
    assertThat(succeeded.verificationMethod()).isEqualTo("SMS");
    assertThat(succeeded.verifiedByAuthenticatorId()).isEqualTo("auth-1");
    assertThat(succeeded.ruleIds()).containsExactly("r1");
    assertThat(succeeded.output().state()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(succeeded.stateUpdatedAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(succeeded.createdAt()).isEqualTo(NOW);
    assertThat(succeeded.ipAddress()).isEqualTo("192.0.2.1");
  }

  @Test
  void racingMovesFromOneStateHaveExactlyOneWinner() {
    Action deciding = deciding("signIn", "k4", NOW, null);
    store.insertDeciding(deciding, event()).block();
    Action decided =
        store.replace(decided(deciding, ActionState.CHALLENGE_REQUIRED), null, event()).block();

    List<Optional<Action>> results =
        Flux.range(0, 16)
            .flatMap(
                i ->
                    store
                        .replace(
                            moved(
                                decided,
                                i % 2 == 0
                                    ? ActionState.CHALLENGE_SUCCEEDED
                                    : ActionState.CHALLENGE_FAILED),
                            ActionState.CHALLENGE_REQUIRED,
                            event())
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .subscribeOn(Schedulers.parallel()))
            .collectList()
            .block(Duration.ofSeconds(20));

    assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
  }

  @Test
  void recordsTheHostedPagesFirstOpenOnce() {
    Action deciding = deciding("signIn", "k5", NOW, null);
    store.insertDeciding(deciding, event()).block();

    assertThat(store.markHostedPageOpened(deciding.id(), NOW.plusSeconds(1)).block()).isTrue();
    assertThat(store.markHostedPageOpened(deciding.id(), NOW.plusSeconds(2)).block()).isFalse();
    assertThat(store.markHostedPageOpened("nobody:x:y", NOW).block()).isFalse();

    Action read = store.find(deciding.id()).block();
    assertThat(read.openedInHostedPage()).isTrue();
    assertThat(read.page().openedAt()).isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void listsAUsersNewestActionsWithTheirFilters() {
    for (int i = 0; i < 4; i++) {
      store
          .insertDeciding(
              deciding(i % 2 == 0 ? "signIn" : "transfer", "l" + i, NOW.plusSeconds(i), null),
              event())
          .block();
    }
    Action first = store.find(ActionStore.id(userId, "signIn", "l0")).block();
    store.replace(decided(first, ActionState.ALLOW), null, event()).block();
    Action second = store.find(ActionStore.id(userId, "transfer", "l1")).block();
    store.replace(decided(second, ActionState.BLOCK), null, event()).block();

    assertThat(keys(store.list(userId, null, List.of(), null, 100)))
        .containsExactly("l3", "l2", "l1", "l0");
    assertThat(keys(store.list(userId, null, List.of(), null, 2))).containsExactly("l3", "l2");
    assertThat(keys(store.list(userId, NOW.plusSeconds(2), List.of(), null, 100)))
        .containsExactly("l3", "l2");
    assertThat(keys(store.list(userId, null, List.of("transfer"), null, 100)))
        .containsExactly("l3", "l1");
    // Actions still awaiting their decision are listed with any state filter: they may match.
    assertThat(keys(store.list(userId, null, List.of(), ActionState.ALLOW, 100)))
        .containsExactly("l3", "l2", "l0");
    assertThat(keys(store.list("someone-else", null, List.of(), null, 100))).isEmpty();
  }

  @Test
  void aClaimNeverOverwritesAnActionButTheFixtureDoes() {
    assertThat(
            store
                .insertClaimedChallenge(
                    userId, "signIn", "c1", ActionState.CHALLENGE_SUCCEEDED, "SMS")
                .block())
        .isTrue();
    assertThat(
            store
                .insertClaimedChallenge(
                    userId, "signIn", "c1", ActionState.CHALLENGE_REQUIRED, "SMS")
                .block())
        .isFalse();
    Action claimed = store.find(ActionStore.id(userId, "signIn", "c1")).block();
    assertThat(claimed.state()).isEqualTo(ActionState.CHALLENGE_SUCCEEDED);
    assertThat(claimed.verificationMethod()).isEqualTo("SMS");
    assertThat(claimed.output())
        .isEqualTo(new ActionOutput(ActionState.CHALLENGE_SUCCEEDED, null, "CLAIM"));

    store.recordClaimedChallenge(userId, "signIn", "c1", ActionState.BLOCK, null).block();
    assertThat(store.find(ActionStore.id(userId, "signIn", "c1")).block().state())
        .isEqualTo(ActionState.BLOCK);
    store.recordClaimedChallenge(userId, "signIn", "c2", ActionState.ALLOW, null).block();
    assertThat(store.find(ActionStore.id(userId, "signIn", "c2")).block().state())
        .isEqualTo(ActionState.ALLOW);
  }

  @Test
  void aLateDecisionLeavesTheStateAlone() {
    Action deciding = deciding("signIn", "k6", NOW, null);
    store.insertDeciding(deciding, event()).block();
    store.replace(decided(deciding, ActionState.ALLOW), null, event()).block();

    store
        .recordLateDecision(
            deciding.id(),
            new Decision(Decision.Outcome.BLOCK, List.of(), true),
            NOW.plusSeconds(9))
        .block();

    assertThat(store.find(deciding.id()).block().state()).isEqualTo(ActionState.ALLOW);
  }

  private Action deciding(String code, String key, Instant at, String redirectUrl) {
    TrackCommand command =
        new TrackCommand(
            userId,
            code,
            key,
            "192.0.2.1",
            "agent",
            "device",
            "add:authenticators",
            Map.of(),
            null,
            null,
            "corr",
            redirectUrl);
    return Action.deciding(
        command,
        key,
        true,
        at,
        new Action.DecisionRequest(UUID.randomUUID().toString(), at.plusSeconds(1)));
  }

  private static Action decided(Action deciding, ActionState state) {
    FirstState first =
        new FirstState(
            state,
            List.of(new ActionRule("r1", "Rule one", null)),
            StateChangeCause.DECISION,
            new ActionOutput(state, "CHALLENGE", "DECISION"));
    return ((Transition.Moved) deciding.decide(first, NOW.plusSeconds(1))).action();
  }

  private static Action moved(Action action, ActionState to) {
    ActionChange change =
        ActionChange.challengeOutcome(
            to, StateChangeCause.CHALLENGE_VERIFIED, "SMS", "ch-1", "auth-1", null);
    return ((Transition.Moved) action.move(change, NOW.plusSeconds(5))).action();
  }

  private static List<String> keys(Flux<Action> actions) {
    return actions.map(Action::idempotencyKey).collectList().block();
  }

  private static OutboxEvent event() {
    return new OutboxEvent(
        UUID.randomUUID().toString(), "topic", "key", "type", new byte[] {1, 2}, NOW);
  }
}
