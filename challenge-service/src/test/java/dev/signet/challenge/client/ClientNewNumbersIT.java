package dev.signet.challenge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengePurpose;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.SendRefusalReason;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The caps on distinct numbers through the client API: one track token gets codes to at most three
 * numbers, one user to at most three new numbers across tokens, while codes to the user's enrolled
 * number are never counted. Every refusal is published for audit with its reason.
 */
class ClientNewNumbersIT extends ClientItSupport {

  private static final String PER_ACTION =
      "Codes were requested for too many phone numbers in this action; try again later.";
  private static final String PER_USER =
      "Codes were sent to too many new phone numbers for this user; try again later.";

  @Test
  void oneTrackTokenGetsCodesToThreeNumbersAndTheRestAreRefused() {
    String userId = newUserId();
    String token = actionToken(userId, "signUp", "ALLOW", "");

    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(client("/v1/client/user-authenticators/sms", token, phone(newPhoneNumber())));
    }

    assertThat(replies.subList(0, 3)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    for (Reply refused : replies.subList(3, 6)) {
      assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
      assertThat(refused.text("error")).isEqualTo("too_many_requests");
      assertThat(refused.text("errorDescription")).isEqualTo(PER_ACTION);
      assertThat(refused.response().headers().firstValue("Retry-After")).isPresent();
    }
    List<ChallengeSendRefused> events =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    events()
                        .of(
                            Topics.CHALLENGE_SEND_REFUSED.name(),
                            userId,
                            ChallengeSendRefused.class),
                list -> list.size() == 3);
    ChallengeSendRefused event = events.get(0);
    assertThat(event.getReason()).isEqualTo(SendRefusalReason.ACTION_NEW_NUMBERS);
    assertThat(event.getChallengeId()).isNull();
    assertThat(event.getAttempt()).isEqualTo(1);
    assertThat(event.getPurpose()).isEqualTo(ChallengePurpose.ENROLMENT);
    assertThat(event.getAction()).isEqualTo("signUp");
    assertThat(event.getLimit()).isEqualTo(3L);
    assertThat(event.getWindowSeconds()).isEqualTo(3600);
    assertThat(event.getError()).isEqualTo("too_many_requests");
    assertThat(event.getRetryAfterSeconds()).isBetween(1L, 3600L);
    assertThat(event.getPhoneNumberMasked()).contains("*");
  }

  @Test
  void aUserGetsCodesToThreeNewNumbersAcrossTokensButTheEnrolledNumberIsNeverCounted() {
    String userId = newUserId();
    String enrolled = newPhoneNumber();
    enrolThroughServerApi(userId, enrolled);
    List<String> tried = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String token = actionToken(userId, "addPhone", "ALLOW", "add:authenticators");
      String number = newPhoneNumber();
      tried.add(number);
      Reply reply = client("/v1/client/user-authenticators/sms", token, phone(number));
      assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    }

    Reply fourth =
        client(
            "/v1/client/user-authenticators/sms",
            actionToken(userId, "addPhone", "ALLOW", "add:authenticators"),
            phone(newPhoneNumber()));
    assertThat(fourth.status()).as(fourth.raw()).isEqualTo(429);
    assertThat(fourth.text("errorDescription")).isEqualTo(PER_USER);
    // A number already counted passes again.
    assertThat(
            client(
                    "/v1/client/user-authenticators/sms",
                    actionToken(userId, "addPhone", "ALLOW", "add:authenticators"),
                    phone(tried.get(1)))
                .status())
        .isEqualTo(200);
    // Codes for tracked actions go to the enrolled number and are not new numbers.
    for (int i = 0; i < 2; i++) {
      String token = actionToken(userId, "withdraw", "CHALLENGE_REQUIRED", "");
      Reply challenge = client("/v1/client/challenge/sms", token, null);
      assertThat(challenge.status()).as(challenge.raw()).isEqualTo(200);
    }
    List<ChallengeSendRefused> events =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    events()
                        .of(
                            Topics.CHALLENGE_SEND_REFUSED.name(),
                            userId,
                            ChallengeSendRefused.class),
                list -> !list.isEmpty());
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getReason()).isEqualTo(SendRefusalReason.USER_NEW_NUMBERS);
  }

  private static String phone(String number) {
    return "{\"phoneNumber\":\"" + number + "\"}";
  }
}
