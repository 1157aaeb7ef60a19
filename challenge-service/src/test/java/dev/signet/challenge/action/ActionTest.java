package dev.signet.challenge.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of a tracked action, without a broker or a store. */
class ActionTest {

  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  static final Duration TIMEOUT = Duration.ofMillis(1500);
  static final ActionRule RULE = new ActionRule("r1", "Risky", null);

  @Test
  void aDecisionGivesTheFirstStateWithItsRules() {
    Action deciding = deciding(true);

    assertThat(first(deciding, Decision.Outcome.ALLOW).state()).isEqualTo(ActionState.ALLOW);
    assertThat(first(deciding, Decision.Outcome.BLOCK).state()).isEqualTo(ActionState.BLOCK);
    assertThat(first(deciding, Decision.Outcome.REVIEW).state())
        .isEqualTo(ActionState.REVIEW_REQUIRED);
    FirstState challenge = first(deciding, Decision.Outcome.CHALLENGE);
    assertThat(challenge.state()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(challenge.cause()).isEqualTo(StateChangeCause.DECISION);
    assertThat(challenge.rules()).containsExactly(RULE);
    assertThat(challenge.output())
        .isEqualTo(new ActionOutput(ActionState.CHALLENGE_REQUIRED, "CHALLENGE", "DECISION"));
  }

  @Test
  void aChallengeOfAUserWithoutAuthenticatorIsAllowed() {
    FirstState first = first(deciding(false), Decision.Outcome.CHALLENGE);

    assertThat(first.state()).isEqualTo(ActionState.ALLOW);
    assertThat(first.cause()).isEqualTo(StateChangeCause.NOT_ENROLLED);
    assertThat(first.output())
        .isEqualTo(new ActionOutput(ActionState.ALLOW, "CHALLENGE", "NOT_ENROLLED"));
  }

  @Test
  void noDecisionOrAnUnknownOneAppliesTheFallbackRule() {
    for (Optional<Decision> answer :
        List.of(
            Optional.<Decision>empty(),
            Optional.of(new Decision(Decision.Outcome.UNKNOWN, List.of(RULE), false)))) {
      FirstState first = deciding(true).firstState(answer, ActionState.BLOCK, TIMEOUT);

      assertThat(first.state()).isEqualTo(ActionState.BLOCK);
      assertThat(first.cause()).isEqualTo(StateChangeCause.DECISION_TIMEOUT_FALLBACK);
      assertThat(first.rules())
          .extracting(ActionRule::ruleId)
          .containsExactly("signet-decision-timeout");
      assertThat(first.rules().get(0).description())
          .isEqualTo(
              "No decision from rules-service within 1500 ms: the action's fallback BLOCK"
                  + " applied.");
      assertThat(first.output())
          .isEqualTo(new ActionOutput(ActionState.BLOCK, null, "DECISION_TIMEOUT_FALLBACK"));
    }
  }

  @Test
  void theFirstStateIsGivenOnce() {
    Action decided = decided(ActionState.CHALLENGE_REQUIRED);

    Transition again = decided.decide(first(deciding(true), Decision.Outcome.ALLOW), NOW);

    assertThat(decided.state()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(decided.stateUpdatedAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(again)
        .isEqualTo(new Transition.Refused(Transition.Reason.STATE_CHANGED, Optional.of(decided)));
  }

  @Test
  void aChallengeOutcomeMovesARequiredChallengeOnce() {
    Action required = decided(ActionState.CHALLENGE_REQUIRED);

    Transition moved = required.move(succeeded(), NOW.plusSeconds(3));

    Action next = ((Transition.Moved) moved).action();
    assertThat(((Transition.Moved) moved).previous()).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(next.state()).isEqualTo(ActionState.CHALLENGE_SUCCEEDED);
    assertThat(next.verificationMethod()).isEqualTo("SMS");
    assertThat(next.verifiedByAuthenticatorId()).isEqualTo("auth-1");
    assertThat(next.stateUpdatedAt()).isEqualTo(NOW.plusSeconds(3));
    assertThat(next.createdAt()).isEqualTo(NOW);
    assertThat(next.move(succeeded(), NOW.plusSeconds(4)))
        .isEqualTo(new Transition.Refused(Transition.Reason.STATE_CHANGED, Optional.of(next)));
  }

  @Test
  void theLifecycleRefusesMovesOutOfFinalStates() {
    for (ActionState state : List.of(ActionState.ALLOW, ActionState.BLOCK)) {
      Action action = decided(state);
      ActionChange change =
          new ActionChange(
              state,
              ActionState.CHALLENGE_SUCCEEDED,
              false,
              StateChangeCause.CHALLENGE_VERIFIED,
              "SMS",
              null,
              null,
              null,
              null,
              null);

      assertThat(action.move(change, NOW))
          .isEqualTo(new Transition.Refused(Transition.Reason.NOT_ALLOWED, Optional.of(action)));
    }
  }

  @Test
  void theServerApiMaySetAnyStateFromTheOneItSaw() {
    Action blocked = decided(ActionState.BLOCK);

    Transition manual =
        blocked.move(ActionChange.manual(ActionState.BLOCK, ActionState.ALLOW, "API_SECRET"), NOW);
    Transition stale =
        blocked.move(
            ActionChange.manual(ActionState.REVIEW_REQUIRED, ActionState.ALLOW, "API_SECRET"), NOW);

    assertThat(((Transition.Moved) manual).action().state()).isEqualTo(ActionState.ALLOW);
    assertThat(((Transition.Refused) stale).reason()).isEqualTo(Transition.Reason.STATE_CHANGED);
    assertThat(ActionChange.manual(null, ActionState.ALLOW, "API_SECRET").allowed()).isFalse();
  }

  @Test
  void aManualChangeResolvingAReviewIsAReview() {
    ActionChange review =
        ActionChange.manual(
            ActionState.REVIEW_REQUIRED, ActionState.REVIEW_SUCCEEDED, "API_SECRET");
    ActionChange manual =
        ActionChange.manual(ActionState.REVIEW_REQUIRED, ActionState.ALLOW, "API_SECRET");

    assertThat(review.cause()).isEqualTo(StateChangeCause.REVIEW);
    assertThat(review.reviewedBy()).isEqualTo("api");
    assertThat(review.credentialKind()).isEqualTo("API_SECRET");
    assertThat(manual.cause()).isEqualTo(StateChangeCause.MANUAL);
  }

  @Test
  void thePrebuiltUiCountsOnlyWhenThePageWasOpened() {
    Action unopened = decided(ActionState.CHALLENGE_REQUIRED);
    Action opened =
        new Action(
            "u1",
            "signIn",
            "k1",
            ActionState.CHALLENGE_REQUIRED,
            NOW,
            NOW,
            NOW,
            null,
            List.of(),
            null,
            null,
            null,
            "",
            true,
            null,
            null,
            null,
            new Action.HostedPageVisit(null, NOW.plusSeconds(1)));

    assertThat(unopened.via(CompletedVia.PREBUILT_UI)).isEqualTo(CompletedVia.CLIENT_API);
    assertThat(opened.via(CompletedVia.PREBUILT_UI)).isEqualTo(CompletedVia.PREBUILT_UI);
    assertThat(unopened.via(CompletedVia.CLIENT_API)).isEqualTo(CompletedVia.CLIENT_API);
    assertThat(unopened.via(null)).isNull();
  }

  @Test
  void anUndecidedActionIsStaleOnlyAfterItsDeadlineAndGrace() {
    Action deciding = deciding(true);
    Instant deadline = deciding.decision().deadline();

    assertThat(deciding.stale(deadline)).isFalse();
    assertThat(deciding.stale(deadline.plus(Action.STALE_GRACE))).isFalse();
    assertThat(deciding.stale(deadline.plus(Action.STALE_GRACE).plusMillis(1))).isTrue();
  }

  private static ActionChange succeeded() {
    return ActionChange.challengeOutcome(
        ActionState.CHALLENGE_SUCCEEDED,
        StateChangeCause.CHALLENGE_VERIFIED,
        "SMS",
        "ch-1",
        "auth-1",
        CompletedVia.CLIENT_API);
  }

  private static FirstState first(Action deciding, Decision.Outcome outcome) {
    return deciding.firstState(
        Optional.of(new Decision(outcome, List.of(RULE), false)), ActionState.BLOCK, TIMEOUT);
  }

  private static Action decided(ActionState state) {
    FirstState first =
        new FirstState(
            state, List.of(RULE), StateChangeCause.DECISION, new ActionOutput(state, null, "X"));
    return ((Transition.Moved) deciding(true).decide(first, NOW.plusSeconds(1))).action();
  }

  private static Action deciding(boolean enrolled) {
    TrackCommand command =
        new TrackCommand(
            "u1", "signIn", "k1", null, null, null, "", Map.of(), null, null, "corr", null);
    return Action.deciding(
        command, "k1", enrolled, NOW, new Action.DecisionRequest("ev-1", NOW.plus(TIMEOUT)));
  }
}
