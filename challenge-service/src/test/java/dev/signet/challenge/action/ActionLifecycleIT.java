package dev.signet.challenge.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionStateChanged;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class ActionLifecycleIT extends ActionItSupport {

  @Autowired ActionLifecycle lifecycle;
  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void concurrentChallengeOutcomesHaveExactlyOneWinnerAndOneEvent() {
    String userId = newUserId();
    String key = UUID.randomUUID().toString();
    givenAction(userId, "signIn", key, ActionState.CHALLENGE_REQUIRED);

    List<Transition> results =
        Flux.range(0, 12)
            .flatMap(
                i ->
                    move(
                            userId,
                            key,
                            ActionState.CHALLENGE_REQUIRED,
                            i % 2 == 0
                                ? ActionState.CHALLENGE_SUCCEEDED
                                : ActionState.CHALLENGE_FAILED)
                        .subscribeOn(Schedulers.parallel()))
            .collectList()
            .block(Duration.ofSeconds(20));

    List<Transition.Moved> moved =
        results.stream()
            .filter(Transition.Moved.class::isInstance)
            .map(Transition.Moved.class::cast)
            .toList();
    assertThat(moved).hasSize(1);
    ActionState winner = moved.get(0).action().state();
    assertThat(moved.get(0).previous()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(results)
        .filteredOn(Transition.Refused.class::isInstance)
        .allSatisfy(
            r -> {
              Transition.Refused refused = (Transition.Refused) r;
              assertThat(refused.reason()).isEqualTo(Transition.Reason.STATE_CHANGED);
              assertThat(refused.current()).get().extracting(Action::state).isEqualTo(winner);
            });
    Action stored = lifecycle.find(userId, "signIn", key).block().orElseThrow();
    assertThat(stored.state()).isEqualTo(winner);
    assertThat(stored.verificationMethod()).isEqualTo("SMS");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        events()
                            .of(
                                Topics.ACTION_STATE_CHANGED.name(),
                                userId,
                                ActionStateChanged.class))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getState().name()).isEqualTo(winner.name());
                          assertThat(e.getPreviousState().name()).isEqualTo("CHALLENGE_REQUIRED");
                          assertThat(e.getIdempotencyKey()).isEqualTo(key);
                          assertThat(e.getChallengeId()).isEqualTo("ch-1");
                          assertThat(e.getCause().name()).isEqualTo("CHALLENGE_VERIFIED");
                        }));
    // The event left the outbox once the broker acknowledged it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                mongo
                    .findById(ActionStore.id(userId, "signIn", key), Document.class, "actions")
                    .block()
                    .getList("outbox", Document.class)
                    .isEmpty());
  }

  @Test
  void refusesMovesTheLifecycleDoesNotAllow() {
    String userId = newUserId();
    String key = UUID.randomUUID().toString();
    givenAction(userId, "signIn", key, ActionState.BLOCK);

    Transition fromBlock =
        move(userId, key, ActionState.BLOCK, ActionState.CHALLENGE_SUCCEEDED).block();
    Transition wrongFrom =
        move(userId, key, ActionState.CHALLENGE_REQUIRED, ActionState.CHALLENGE_SUCCEEDED).block();
    Transition unknown =
        move(userId, "nope", ActionState.CHALLENGE_REQUIRED, ActionState.CHALLENGE_SUCCEEDED)
            .block();

    assertThat(fromBlock)
        .isEqualTo(
            new Transition.Refused(
                Transition.Reason.NOT_ALLOWED, lifecycle.find(userId, "signIn", key).block()));
    assertThat(((Transition.Refused) wrongFrom).reason())
        .isEqualTo(Transition.Reason.STATE_CHANGED);
    assertThat(((Transition.Refused) unknown).reason()).isEqualTo(Transition.Reason.NOT_FOUND);
    assertThat(lifecycle.find(userId, "signIn", key).block().orElseThrow().state())
        .isEqualTo(ActionState.BLOCK);
  }

  private reactor.core.publisher.Mono<Transition> move(
      String userId, String key, ActionState from, ActionState to) {
    return lifecycle.transition(
        userId,
        "signIn",
        key,
        new ActionChange(
            from,
            to,
            false,
            StateChangeCause.CHALLENGE_VERIFIED,
            "SMS",
            "ch-1",
            null,
            null,
            null,
            null),
        "corr-1");
  }

  private void givenAction(String userId, String code, String key, ActionState state) {
    Date now = new Date();
    mongo
        .insert(
            new Document("_id", ActionStore.id(userId, code, key))
                .append("userId", userId)
                .append("actionCode", code)
                .append("idempotencyKey", key)
                .append("state", state.name())
                .append("createdAt", now)
                .append("updatedAt", now)
                .append("stateUpdatedAt", now)
                .append("isEnrolled", true)
                .append("outbox", List.of()),
            "actions")
        .block();
  }
}
