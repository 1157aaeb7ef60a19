package dev.signet.challenge.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionStateTest {

  @Test
  void aChallengeAndAReviewAreResolvedOnceAndEverythingElseIsFinal() {
    for (ActionState from : ActionState.values()) {
      Set<ActionState> allowed = EnumSet.noneOf(ActionState.class);
      for (ActionState to : ActionState.values()) {
        if (from.canMoveTo(to)) {
          allowed.add(to);
        }
      }
      Set<ActionState> expected =
          switch (from) {
            case CHALLENGE_REQUIRED ->
                EnumSet.of(ActionState.CHALLENGE_SUCCEEDED, ActionState.CHALLENGE_FAILED);
            case REVIEW_REQUIRED ->
                EnumSet.of(ActionState.REVIEW_SUCCEEDED, ActionState.REVIEW_FAILED);
            default -> EnumSet.noneOf(ActionState.class);
          };
      assertThat(allowed).as(from.name()).isEqualTo(expected);
      assertThat(from.isFinal()).as(from.name()).isEqualTo(expected.isEmpty());
    }
  }

  @Test
  void parsesOnlyExactApiNames() {
    assertThat(ActionState.parse("BLOCK")).contains(ActionState.BLOCK);
    assertThat(ActionState.parse("block")).isEmpty();
    assertThat(ActionState.parse("DECIDING")).isEmpty();
    assertThat(ActionState.parse(null)).isEmpty();
  }

  @Test
  void fallbacksDefaultToFailClosedAndRefuseChallengingAUserWithoutAuthenticator() {
    ActionProperties defaults = new ActionProperties(null, null, null, null);
    assertThat(defaults.fallbackFor("any").of(true)).isEqualTo(ActionState.CHALLENGE_REQUIRED);
    assertThat(defaults.fallbackFor("any").of(false)).isEqualTo(ActionState.ALLOW);
    assertThat(defaults.decisionTimeout()).hasSeconds(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ActionProperties.Fallback(null, ActionState.CHALLENGE_REQUIRED))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ActionProperties.Fallback(ActionState.CHALLENGE_SUCCEEDED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
