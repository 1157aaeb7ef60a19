package dev.signet.e2e.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.RunningStack;
import dev.signet.testsupport.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store going away under light load (four challenges a second), on a stack of its own with the
 * file-backed MongoDB-wire server ({@code ./run --only kafka,mongo,registry,sandbox,challenge,
 * dispatcher} at the e2e port offset + 40): first the server hangs (SIGSTOP, 15 s: longer than any
 * bounded retry), then it is restarted (SIGTERM; the launcher starts it again on the same store).
 * Every request is answered within the client's time limits, with 200 or the documented 503 and
 * {@code Retry-After} (never a 500, never a hang); the dispatcher waits on the record it could not
 * claim instead of dead-lettering it; every acknowledged challenge is consumed (sent, or claimed
 * and left unsent when the store vanished between claim and send: at most once per attempt), and
 * none is sent twice.
 */
class MongoOutageIT {

  /** The MongoDB read timeout (10 s) plus a server selection (2 s) and some slack. */
  private static final Duration DEADLINE = Duration.ofSeconds(14);

  private static LocalStack stack;

  @BeforeAll
  static void startStack() {
    int offset = RunningStack.portOffset() + 40;
    stack =
        LocalStack.start(
            RunningStack.launch(
                "mongo-outage-" + offset,
                offset,
                Map.of("SIGNET_FICTIONAL_NUMBER_PREFIXES", RunningStack.FICTIONAL_NUMBER_PREFIXES),
                List.of("--only", "kafka,mongo,registry,sandbox,challenge,dispatcher"),
                Duration.ofMinutes(4)));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void whileTheStoreIsAwayTheApiAnswers503AndNothingAcknowledgedIsLost() throws Exception {
    List<ChallengeLoad.Request> requests;
    ChallengeLoad load =
        new ChallengeLoad(
            stack.url("challenge"),
            stack.url("sandbox"),
            stack.apiSecret(),
            Duration.ofMillis(250));
    try (load) {
      load.awaitSent(3);

      long mongo = ChallengeLoad.currentPid(stack.dataDir(), "mongo");
      signal("STOP", mongo);
      Instant frozenAt = Instant.now();
      // Hung for 15 s, and answered meanwhile: requests made during the hang come back with 503.
      await()
          .atMost(Duration.ofSeconds(45))
          .until(
              () ->
                  seconds(frozenAt) >= 15
                      && load.requests().stream()
                          .anyMatch(r -> r.requestedAt().isAfter(frozenAt) && r.status() == 503));
      signal("CONT", mongo);

      ProcessHandle.of(mongo).orElseThrow().destroy(); // SIGTERM: a restart of the server
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(() -> ChallengeLoad.currentPid(stack.dataDir(), "mongo") != mongo);
      Instant backAt = Instant.now();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.acknowledged().stream().anyMatch(r -> r.requestedAt().isAfter(backAt)));
      requests = load.requests();
    }

    System.out.printf(
        "store away: %d requests, %d answered 200, %d answered 503, slowest answer %d ms%n",
        requests.size(),
        requests.stream().filter(r -> r.status() == 200).count(),
        requests.stream().filter(r -> r.status() == 503).count(),
        requests.stream().mapToLong(r -> r.took().toMillis()).max().orElse(0));
    assertThat(requests).allSatisfy(r -> assertThat(r.status()).as(r.error()).isIn(200, 503));
    assertThat(requests).allSatisfy(r -> assertThat(r.took()).as(r.phone()).isLessThan(DEADLINE));
    assertThat(requests.stream().filter(r -> r.status() == 503))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.error()).isEqualTo("service_unavailable Retry-After=5"));
    List<ChallengeLoad.Request> acknowledged =
        requests.stream().filter(r -> r.status() == 200).toList();
    ChallengeLoad.Outcomes outcomes =
        load.awaitEachAccountedFor(acknowledged, stack.mongoUri(), Duration.ofSeconds(90));
    System.out.printf(
        "store away: %d acknowledged, %d sent (%d twice), %d claimed but not sent%n",
        acknowledged.size(), outcomes.sent(), outcomes.twice(), outcomes.claimedNotSent());
    assertThat(outcomes.twice()).as("numbers that got two messages").isZero();
  }

  private static long seconds(Instant since) {
    return Duration.between(since, Instant.now()).toSeconds();
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
