package dev.signet.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SMS pumping through the client API with the stack's default limits: a script that holds one track
 * token and enrols number after number gets the cap texted and every other number refused with the
 * documented error, and each refusal shows in audit with the guard that fired.
 */
class SmsPumpingIT {

  /**
   * The default cap on distinct numbers per tracked action attempt and per user (docs/limits.md).
   */
  private static final int CAP = 3;

  private static final String REFUSED_FOR_ACTION =
      "Codes were requested for too many phone numbers in this action; try again later.";
  private static final String REFUSED_FOR_USER =
      "Codes were sent to too many new phone numbers for this user; try again later.";

  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  @Test
  void oneTrackTokenEnrollingFiftyNumbersGetsTheCapTextedAndTheRestRefused() {
    String userId = "pump-" + UUID.randomUUID().toString().substring(0, 8);
    String ip = "192.0.2." + ThreadLocalRandom.current().nextInt(1, 255);
    String token = trackToken(userId, ip);
    List<String> numbers = distinctNumbers(50);

    List<String> texted = new ArrayList<>();
    List<Http.Reply> refused = new ArrayList<>();
    for (String number : numbers) {
      Http.Reply reply = enrol(token, number);
      if (reply.status() == 200) {
        texted.add(number);
      } else {
        refused.add(reply);
      }
    }

    assertThat(texted).as("numbers the script got a code sent to").hasSize(CAP);
    assertThat(refused).hasSize(numbers.size() - CAP);
    for (Http.Reply reply : refused) {
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(429);
      assertThat(reply.body().path("error").asText()).isEqualTo("too_many_requests");
      assertThat(reply.body().path("errorDescription").asText()).isEqualTo(REFUSED_FOR_ACTION);
      assertThat(Long.parseLong(reply.raw().headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 3600L);
    }

    // What reached the phones: the code of each admitted number, none to the others. Counted as
    // distinct sends (a message's client reference is its challenge attempt): under load the
    // dispatcher may retry a provider call that timed out after the sandbox took it.
    Sandbox sandbox = new Sandbox(stack, http);
    for (String number : texted) {
      sandbox.awaitCode(number, 1);
    }
    Set<String> sends = new LinkedHashSet<>();
    List<String> reached = new ArrayList<>();
    for (String number : numbers) {
      JsonNode messages = sandbox.messages(number);
      if (!messages.isEmpty()) {
        reached.add(number);
      }
      messages.forEach(m -> sends.add(m.path("clientRef").asText()));
    }
    assertThat(reached).as("numbers with an SMS in the sandbox inbox").isEqualTo(texted);
    assertThat(sends).as("distinct sends to the 50 numbers").hasSize(CAP);

    // A second track token of the same user: the action cap has room, the user's does not.
    String second = trackToken(userId, ip);
    Http.Reply again = enrol(second, freshOtherThan(numbers));
    assertThat(again.status()).as(again.raw().body()).isEqualTo(429);
    assertThat(again.body().path("error").asText()).isEqualTo("too_many_requests");
    assertThat(again.body().path("errorDescription").asText()).isEqualTo(REFUSED_FOR_USER);
    // A number the user already got a code for still passes (a resend, a retyped number).
    assertThat(enrol(second, texted.get(0)).status()).isEqualTo(200);

    // Every refusal is in the user's audit timeline with the guard that fired.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode items =
                  audit(
                          "/v1/audit/users/"
                              + userId
                              + "/timeline?type=challenge.send-refused&limit=100")
                      .path("items");
              List<String> reasons = new ArrayList<>();
              items.forEach(i -> reasons.add(i.path("attributes").path("reason").asText()));
              assertThat(reasons)
                  .as(items.toString())
                  .hasSize(numbers.size() - CAP + 1)
                  .containsOnly("ACTION_NEW_NUMBERS", "USER_NEW_NUMBERS");
              assertThat(reasons).filteredOn("USER_NEW_NUMBERS"::equals).hasSize(1);
              JsonNode first = items.get(0);
              assertThat(first.path("outcome").asText()).isEqualTo("BLOCKED");
              assertThat(first.path("category").asText()).isEqualTo("SMS");
              assertThat(first.path("attributes").path("error").asText())
                  .isEqualTo("too_many_requests");
              assertThat(first.path("attributes").path("limit").asText())
                  .isEqualTo(String.valueOf(CAP));
            });
    // ... and in the activity feed, by reason.
    JsonNode feed =
        audit("/v1/audit/activities?userId=" + userId + "&type=challenge.send-refused&limit=100");
    assertThat(feed.path("items")).hasSize(numbers.size() - CAP + 1);
    // No full number anywhere in what audit shows.
    String raw = feed.toString();
    for (String number : numbers) {
      assertThat(raw).doesNotContain(number).doesNotContain(number.substring(1));
    }
  }

  private String trackToken(String userId, String ip) {
    Http.Reply tracked =
        http.post(
            stack.url("challenge") + "/v1/users/" + userId + "/actions/signUp",
            Http.basic(stack.apiSecret()),
            "{\"ipAddress\":\"" + ip + "\",\"userAgent\":\"pumping-script\"}");
    assertThat(tracked.status()).as(tracked.raw().body()).isEqualTo(200);
    String token = tracked.body().path("token").asText();
    assertThat(token).as(tracked.raw().body()).isNotBlank();
    return token;
  }

  private Http.Reply enrol(String token, String number) {
    return http.post(
        stack.url("challenge") + "/v1/client/user-authenticators/sms",
        "Bearer " + token,
        "{\"phoneNumber\":\"" + number + "\"}");
  }

  private JsonNode audit(String path) {
    Http.Reply reply = http.get(stack.url("audit") + path, "Bearer " + stack.managementSecret());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body();
  }

  private static List<String> distinctNumbers(int n) {
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < n) {
      out.add(Sandbox.freshPhoneNumber());
    }
    return new ArrayList<>(out);
  }

  private static String freshOtherThan(List<String> taken) {
    String number = Sandbox.freshPhoneNumber();
    while (taken.contains(number)) {
      number = Sandbox.freshPhoneNumber();
    }
    return number;
  }
}
