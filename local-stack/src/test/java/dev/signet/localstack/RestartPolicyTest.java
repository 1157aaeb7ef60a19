package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

  private final RestartPolicy policy = new RestartPolicy();
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void doublesTheDelayForEachCrashInARowAndGivesUpAfterFive() {
    for (int i = 0; i < RestartPolicy.MAX_IN_A_ROW; i++) {
      RestartPolicy.Restart restart =
          policy.onExit(Component.DISPATCHER, t0.plusSeconds(10L * i)).orElseThrow();
      assertThat(restart.inARow()).isEqualTo(i + 1);
      assertThat(restart.delay()).isEqualTo(Duration.ofSeconds(1L << i));
    }
    assertThat(policy.onExit(Component.DISPATCHER, t0.plusSeconds(60))).isEmpty();
  }

  @Test
  void aComponentThatRanLongerThanTheStablePeriodStartsCountingAfresh() {
    policy.onExit(Component.AUDIT, t0);
    policy.onExit(Component.AUDIT, t0.plusSeconds(5));
    RestartPolicy.Restart later =
        policy
            .onExit(Component.AUDIT, t0.plusSeconds(5).plus(RestartPolicy.STABLE).plusSeconds(1))
            .orElseThrow();
    assertThat(later.inARow()).isEqualTo(1);
    assertThat(later.delay()).isEqualTo(RestartPolicy.FIRST_DELAY);
  }

  @Test
  void countsEachComponentOnItsOwn() {
    policy.onExit(Component.AUDIT, t0);
    policy.onExit(Component.AUDIT, t0.plusSeconds(1));
    assertThat(policy.onExit(Component.RULES, t0.plusSeconds(2)).orElseThrow().inARow())
        .isEqualTo(1);
  }
}
