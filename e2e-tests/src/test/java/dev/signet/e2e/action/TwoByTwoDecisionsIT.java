package dev.signet.e2e.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.ExtraServiceInstance;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two challenge-service and two rules-service instances on one broker: every track, whichever
 * challenge instance takes it and whichever rules instance decides it, gets its own decision back
 * (no fallback), and one idempotency key sent to both challenge instances at once is one action.
 */
class TwoByTwoDecisionsIT {

  private static final Pattern ASSIGNED =
      Pattern.compile("partitions assigned: \\[[^\\]]*auth\\.action\\.tracked\\.v1");
  private static RunningStack stack;
  private static ActionCalls calls;
  private static ExtraServiceInstance secondChallenge;
  private static ExtraServiceInstance secondRules;

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    calls = new ActionCalls(stack, new Http());
    calls.awaitDecisionsInTime();
    secondChallenge = ExtraServiceInstance.challengeService(stack);
    secondRules = ExtraServiceInstance.rulesService(stack);
    // The second rules instance has taken over some tracked-action partitions.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ASSIGNED.matcher(secondRules.log()).find());
    // Both new JVMs are cold: wait until decisions come back in time through each instance.
    calls.awaitDecisionsInTime(stack.url("challenge"));
    calls.awaitDecisionsInTime(secondChallenge.url());
  }

  @AfterAll
  static void stop() {
    if (secondRules != null) {
      secondRules.close();
    }
    // The stack's rules-service takes the partitions back (a rebalance): leave the stack deciding
    // in time for the test classes that follow.
    if (calls != null) {
      calls.awaitDecisionsInTime();
    }
  }

  @Test
  void everyTrackGetsItsOwnDecision() throws Exception {
    String action = ActionCalls.uniqueAction("e2eTwo");
    String reviewRule =
        calls.rule(
            action,
            "{\"name\":\"Review\",\"priority\":10,\"outcome\":\"REVIEW\",\"condition\":"
                + "{\"type\":\"custom\",\"key\":\"kind\",\"operator\":\"eq\",\"value\":\"review\"}}");
    String blockRule =
        calls.rule(
            action,
            "{\"name\":\"Block\",\"priority\":20,\"outcome\":\"BLOCK\",\"condition\":"
                + "{\"type\":\"custom\",\"key\":\"kind\",\"operator\":\"eq\",\"value\":\"block\"}}");
    List<String> instances = List.of(stack.url("challenge"), secondChallenge.url());
    String[] kinds = {"review", "block", "none"};
    Map<String, String> expectedState =
        Map.of("review", "REVIEW_REQUIRED", "block", "BLOCK", "none", "ALLOW");
    Map<String, String> expectedRules =
        Map.of(
            "review", "[\"" + reviewRule + "\"]", "block", "[\"" + blockRule + "\"]", "none", "[]");

    // Two at a time: this checks where answers go, not throughput (a decision slower than the 1 s
    // deadline on an overloaded machine would read as a fallback).
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String kind = kinds[i % 3];
      String base = instances.get((i / 3) % 2);
      String userId = ActionCalls.uniqueUser("e2e-two-" + i);
      outcomes.add(
          pool.submit(
              () -> {
                Http.Reply reply =
                    calls.track(base, userId, action, "{\"custom\":{\"kind\":\"" + kind + "\"}}");
                assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
                assertThat(reply.body().path("state").asText())
                    .as("%s via %s: %s", kind, base, reply.raw().body())
                    .isEqualTo(expectedState.get(kind));
                assertThat(reply.body().path("ruleIds").toString())
                    .as("%s via %s", kind, base)
                    .isEqualTo(expectedRules.get(kind));
                return base;
              }));
    }
    Set<String> served = ConcurrentHashMap.newKeySet();
    for (Future<String> outcome : outcomes) {
      served.add(outcome.get());
    }
    pool.shutdown();
    assertThat(served).containsExactlyInAnyOrderElementsOf(instances);
    // Both rules instances decided some of them, and every track was decided at least once (a
    // rebalance may make a request decided twice: same answer). The decision's log line is written
    // after its reply is sent, so the count may trail the replies by a moment.
    Path stackRulesLog = stack.dataDir().resolve("logs/rules.log");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              long second = countDecisions(secondRules.log(), action);
              long first = countDecisions(Files.readString(stackRulesLog), action);
              assertThat(second).isPositive();
              assertThat(first).isPositive();
              assertThat(first + second).isGreaterThanOrEqualTo(24);
            });
  }

  @Test
  void oneIdempotencyKeyOnBothInstancesIsOneAction() throws Exception {
    String action = ActionCalls.uniqueAction("e2eTwoKey");
    String userId = ActionCalls.uniqueUser("e2e-two-key");
    calls.enrol(userId);
    List<String> instances = List.of(stack.url("challenge"), secondChallenge.url());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String base = instances.get(i % 2);
      replies.add(
          pool.submit(() -> calls.track(base, userId, action, "{\"idempotencyKey\":\"k-1\"}")));
    }
    Set<String> states = ConcurrentHashMap.newKeySet();
    for (Future<Http.Reply> reply : replies) {
      Http.Reply r = reply.get();
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      assertThat(r.body().path("idempotencyKey").asText()).isEqualTo("k-1");
      assertThat(r.body().path("ruleIds").size()).isZero();
      states.add(r.body().path("state").asText());
    }
    pool.shutdown();
    assertThat(states).containsExactly("CHALLENGE_REQUIRED");
    Http.Reply listed =
        new Http().get(stack.url("challenge") + "/v1/users/" + userId + "/actions", calls.auth());
    assertThat(listed.body().size()).isEqualTo(1);
  }

  private static long countDecisions(String log, String action) {
    return log.lines()
        .filter(
            line -> line.contains("action decided") && line.contains("actionCode=" + action + " "))
        .count();
  }
}
