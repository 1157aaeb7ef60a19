package dev.signet.e2e.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.testsupport.LocalStack;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store going away under light load (four challenges a second), on a stack of its own with the
 * file-backed MongoDB-wire server ({@code ./run --only kafka,mongo,registry,sandbox,challenge,
 * dispatcher} at the e2e port offset + 40): first the server hangs (SIGSTOP, 15 s: longer than any
 * bounded retry), then it is restarted (SIGTERM; the launcher starts it again on the same store).
 * Every request is answered within the client's time limits, with 200 or the documented 503 and
 * {@code Retry-After} (never a 500, never a hang); the dispatcher waits on the record it could not
 * claim instead of dead-lettering it; and every acknowledged challenge is sent exactly once.
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
    try (ChallengeLoad load =
        new ChallengeLoad(stack.url("challenge"), stack.apiSecret(), Duration.ofMillis(250))) {
      awaitSent(load, 3);

      long mongo = currentPid("mongo");
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
          .until(() -> currentPid("mongo") != mongo);
      Instant backAt = Instant.now();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.acknowledged().stream().anyMatch(r -> r.requestedAt().isAfter(backAt)));
      requests = load.requests();
    }

    assertThat(requests).allSatisfy(r -> assertThat(r.status()).as(r.error()).isIn(200, 503));
    assertThat(requests).allSatisfy(r -> assertThat(r.took()).as(r.phone()).isLessThan(DEADLINE));
    assertThat(requests.stream().filter(r -> r.status() == 503))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.error()).isEqualTo("service_unavailable Retry-After=5"));
    List<ChallengeLoad.Request> acknowledged =
        requests.stream().filter(r -> r.status() == 200).toList();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (ChallengeLoad.Request r : acknowledged) {
                assertThat(sandbox(r.phone())).as(r.phone()).isEqualTo(1);
              }
            });
  }

  private static int sandbox(String phone) {
    return new Http()
        .get(
            stack.url("sandbox")
                + "/inbox?to="
                + java.net.URLEncoder.encode(phone, java.nio.charset.StandardCharsets.UTF_8),
            null)
        .body()
        .path("messages")
        .size();
  }

  private static void awaitSent(ChallengeLoad load, int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                load.acknowledged().stream().filter(r -> sandbox(r.phone()) > 0).count() >= count);
  }

  private static long seconds(Instant since) {
    return Duration.between(since, Instant.now()).toSeconds();
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static long currentPid(String component) throws Exception {
    return JsonMapper.builder()
        .build()
        .readTree(Files.readString(stack.dataDir().resolve("stack.json")))
        .at("/components/" + component + "/pid")
        .asLong();
  }
}
