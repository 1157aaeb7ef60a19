package dev.signet.e2e.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.ExtraServiceInstance;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-account failure cap over a month. A challenge-service process of the test's own, on a
 * database of its own, reads its clock offset from a file the test moves forward ({@code
 * signet.challenge.testing.clock-offset-file}); the shared stack's clock never moves. An attacker
 * sends 1,000 wrong codes against one user's sign-in challenges over 30 simulated days, starting a
 * new challenge every 28.8 hours, and gets at most 100 of them compared; then an operator reset,
 * and only it, lets the owner's right code through.
 *
 * <p>Each challenge goes to a number of its own (the user gains one new number per simulated day):
 * the dispatcher is not on the simulated clock, and its per-number backstop (10 sends per 10 real
 * minutes) also counts an event the outbox relay publishes a second time, which it does whenever
 * the clock jumps past an event still waiting for its acknowledgement. Every wrong code is charged
 * to the user as well as to the number, so the user is the account that reaches the cap.
 */
class FailureCapOverTimeIT {

  private static final Pattern MISMATCHES =
      Pattern.compile(
          "^signet_challenge_code_comparisons_total\\{[^}]*outcome=\"mismatch\"[^}]*\\}"
              + " ([0-9.Ee+-]+)$",
          Pattern.MULTILINE);

  private final Http http = new Http();

  @Test
  void aThousandWrongCodesOverThirtyDaysGetAtMostOneHundredComparisons() throws IOException {
    RunningStack stack = RunningStack.get();
    Path offsetFile =
        RunningStack.repositoryRoot()
            .resolve("e2e-tests/target/clock-offset-" + UUID.randomUUID() + ".txt");
    Files.writeString(offsetFile, "PT0S");
    String mongo = stack.description().path("components").path("mongo").path("url").asText();
    Map<String, String> environment =
        Map.of(
            "SIGNET_TESTING_CLOCK_OFFSET_FILE",
            offsetFile.toString(),
            "SIGNET_MONGODB_URI",
            mongo + "/signet-clock-" + UUID.randomUUID().toString().substring(0, 8));
    try (ExtraServiceInstance instance =
        ExtraServiceInstance.challengeService(stack, "clock", environment)) {
      String url = instance.url();
      String userId = "u-cap-" + UUID.randomUUID();
      Sandbox sandbox = new Sandbox(stack, http);
      List<String> challengeIds = new ArrayList<>();
      int rounds = 25;
      int perRound = 40;
      int limited = 0;
      for (int round = 0; round < rounds; round++) {
        // 30 days in 25 steps of 28.8 hours.
        Files.writeString(offsetFile, Duration.ofMinutes(1728L * round).toString());
        String phone = Sandbox.freshPhoneNumber();
        String challengeId = challenge(stack, url, phone, userId);
        challengeIds.add(challengeId);
        String code = sandbox.awaitCode(phone, 1);
        for (int i = 0; i < perRound; i++) {
          Http.Reply reply = verify(stack, url, challengeId, wrong(code, i));
          assertThat(reply.status()).as(reply.raw().body()).isIn(200, 429);
          assertThat(reply.body().path("isVerified").asBoolean()).isFalse();
          if (reply.status() == 429) {
            limited++;
          }
        }
      }
      assertThat(rounds * perRound).isEqualTo(1000);

      VerificationEvents events = new VerificationEvents(stack);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> events.failures(challengeIds), n -> n > 0 && n <= 100);
      long compared = events.failures(challengeIds);
      assertThat(compared).isLessThanOrEqualTo(100);
      assertThat(mismatches(stack, url)).isEqualTo(compared);
      // Locked for good at 100: the last rounds were refused before any comparison.
      assertThat(limited).isGreaterThanOrEqualTo(perRound);

      // An operator reset, recorded with the operator, and the owner signs in again.
      Http.Reply reset =
          http.post(
              url + "/v1/management/verification-locks/reset",
              "Bearer " + stack.managementSecret(),
              "{\"userId\":\"" + userId + "\",\"operator\":\"e2e-operator\"}");
      assertThat(reset.status()).as(reset.raw().body()).isEqualTo(200);
      assertThat(reset.body().path("operator").asText()).isEqualTo("e2e-operator");
      String phone = Sandbox.freshPhoneNumber();
      String fresh = challenge(stack, url, phone, userId);
      String code = sandbox.awaitCode(phone, 1);
      Http.Reply verified = verify(stack, url, fresh, code);
      assertThat(verified.body().path("isVerified").asBoolean()).as(verified.raw().body()).isTrue();
    } finally {
      Files.deleteIfExists(offsetFile);
    }
  }

  private String challenge(RunningStack stack, String url, String phone, String userId) {
    Http.Reply reply =
        http.post(
            url + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\",\"userId\":\""
                + userId
                + "\"}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().path("challengeId").asText();
  }

  private Http.Reply verify(RunningStack stack, String url, String challengeId, String code) {
    return http.post(
        url + "/v1/verify",
        Http.basic(stack.apiSecret()),
        "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
  }

  /** The {@code i}-th of distinct wrong guesses for {@code code}. */
  private static String wrong(String code, int i) {
    String guess = String.format("%06d", 100_000 + i * 7919);
    return guess.equals(code) ? "000000".equals(code) ? "111111" : "000000" : guess;
  }

  private long mismatches(RunningStack stack, String url) {
    Http.Reply metrics =
        http.getText(url + "/actuator/prometheus", "Bearer " + stack.managementSecret());
    assertThat(metrics.status()).isEqualTo(200);
    Matcher matcher = MISMATCHES.matcher(metrics.raw().body());
    assertThat(matcher.find()).as("comparison counter in /actuator/prometheus").isTrue();
    return (long) Double.parseDouble(matcher.group(1));
  }
}
