package dev.signet.e2e.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rules-service stopped (its process frozen with SIGSTOP, so it neither answers nor leaves its
 * consumer group): track waits the decision deadline (1 s) and applies the fallback, fail closed
 * for an enrolled user, and the rule list says so. Once rules-service runs again, tracks get real
 * decisions.
 */
class DecisionFallbackIT {

  private static final String FALLBACK_RULE = "signet-decision-timeout";
  private static RunningStack stack;
  private static ActionCalls calls;

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    calls = new ActionCalls(stack, new Http());
    calls.awaitDecisionsInTime();
  }

  @Test
  void withRulesServiceStoppedTheFallbackAppliesAndSaysSo() throws Exception {
    String action = ActionCalls.uniqueAction("e2eFallback");
    String enrolled = ActionCalls.uniqueUser("e2e-fb");
    calls.enrol(enrolled);
    String unenrolled = ActionCalls.uniqueUser("e2e-fb-new");
    ProcessHandle rules = rulesProcess();

    signal("STOP", rules);
    Http.Reply challenged;
    Http.Reply allowed;
    long millis;
    try {
      long started = System.nanoTime();
      challenged = calls.track(enrolled, action, "{}");
      millis = (System.nanoTime() - started) / 1_000_000;
      allowed = calls.track(unenrolled, action, "{}");
    } finally {
      signal("CONT", rules);
    }

    assertThat(challenged.status()).isEqualTo(200);
    assertThat(challenged.body().path("state").asText()).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(challenged.body().path("ruleIds").toString())
        .isEqualTo("[\"" + FALLBACK_RULE + "\"]");
    assertThat(millis).isBetween(900L, 5000L);
    Http.Reply read =
        calls.get(enrolled, action, challenged.body().path("idempotencyKey").asText());
    assertThat(read.body().path("rules").path(0).path("name").asText())
        .isEqualTo("Decision timeout fallback");
    assertThat(read.body().path("rules").path(0).path("description").asText())
        .startsWith("No decision from rules-service within 1000 ms");
    assertThat(allowed.body().path("state").asText()).isEqualTo("ALLOW");
    assertThat(allowed.body().path("isEnrolled").asBoolean()).isFalse();
    assertThat(allowed.body().path("ruleIds").toString()).isEqualTo("[\"" + FALLBACK_RULE + "\"]");

    // rules-service is back: a new track gets a real decision (after its consumer caught up).
    String blockRule =
        calls.rule(
            action,
            "{\"name\":\"Block all\",\"outcome\":\"BLOCK\","
                + "\"condition\":{\"type\":\"enrolled\",\"value\":true}}");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Http.Reply again = calls.track(enrolled, action, "{}");
              assertThat(again.body().path("state").asText()).isEqualTo("BLOCK");
              assertThat(again.body().path("ruleIds").toString())
                  .isEqualTo("[\"" + blockRule + "\"]");
            });
    // The fallback stays: a late decision does not move an action.
    assertThat(
            calls
                .get(enrolled, action, challenged.body().path("idempotencyKey").asText())
                .body()
                .path("state")
                .asText())
        .isEqualTo("CHALLENGE_REQUIRED");
  }

  /** The stack's rules-service process, by the pid the launcher wrote into stack.json. */
  private static ProcessHandle rulesProcess() {
    long pid = stack.description().path("components").path("rules").path("pid").asLong(-1);
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .orElseThrow(() -> new IllegalStateException("no rules-service process (pid " + pid + ")"));
  }

  private static void signal(String signal, ProcessHandle process)
      throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }
}
