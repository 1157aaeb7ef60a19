package dev.signet.sms.testnumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.sms.it.DispatcherItSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Test numbers in the dispatcher: never sent to the provider, never counted by the send guard (the
 * shared context allows 3 sends per number), handed to the sandbox's test-traffic inbox and
 * announced as test traffic.
 */
class FixedCodeNumberIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aConfiguredTestNumberGoesToTheTestInboxNeverToTheProviderAndIsNeverLimited() {
    String challengeId = newChallengeId();

    for (int attempt = 1; attempt <= 5; attempt++) {
      publish(requested(challengeId, attempt, TEST_NUMBER, "000000").build());
    }

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 5);
    assertThat(events().records(SmsBlocked.class, challengeId)).isEmpty();
    assertThat(events().records(SmsDispatched.class, challengeId))
        .allSatisfy(
            d -> {
              assertThat(d.getTestNumber()).isTrue();
              assertThat(d.getProvider()).isEqualTo("test");
            });
    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(VONAGE.callsFor(challengeId, attempt)).isEmpty();
      int n = attempt;
      assertThat(VONAGE.testTrafficFor(challengeId, attempt))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.to()).isEqualTo(TEST_NUMBER);
                assertThat(c.text()).contains("000000");
                assertThat(events().records(SmsDispatched.class, challengeId))
                    .anySatisfy(
                        d -> {
                          assertThat(d.getAttempt()).isEqualTo(n);
                          assertThat(d.getProviderMessageId()).isEqualTo(c.messageId());
                        });
              });
    }
  }

  @Test
  void aNumberChallengeServiceMarkedAsTestNumberIsTreatedAsOne() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();

    publish(requested(challengeId, 1, phone, "123123").setTestNumber(true).build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    assertThat(events().records(SmsDispatched.class, challengeId).get(0).getTestNumber()).isTrue();
    assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
    assertThat(VONAGE.testTrafficFor(challengeId, 1)).hasSize(1);
  }

  @Test
  void anOrdinaryNumberIsNotTestTraffic() {
    String challengeId = newChallengeId();

    publish(requested(challengeId, 1, freshPhoneNumber(), "321321").build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    assertThat(events().records(SmsDispatched.class, challengeId).get(0).getTestNumber()).isFalse();
    assertThat(events().records(SmsDispatched.class, challengeId).get(0).getProvider())
        .isEqualTo("vonage");
    assertThat(VONAGE.testTrafficFor(challengeId, 1)).isEmpty();
  }
}
