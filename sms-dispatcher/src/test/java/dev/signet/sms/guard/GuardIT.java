package dev.signet.sms.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.sms.SmsBlockReason;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.sms.it.DispatcherItSupport;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The send guard inside the dispatcher: a message to a region off the allowlist, or one too many to
 * a number, is not sent, the attempt ends BLOCKED and a blocked event says why.
 */
class GuardIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void aRegionOffTheAllowlistIsBlockedAndNotSent() {
    String challengeId = newChallengeId();

    publish(requested(challengeId, 1, "+85021234567", "111222").setCountryCode("KP").build());

    await().atMost(WAIT).until(() -> events().records(SmsBlocked.class, challengeId).size() == 1);
    SmsBlocked blocked = events().records(SmsBlocked.class, challengeId).get(0);
    assertThat(blocked.getReason()).isEqualTo(SmsBlockReason.COUNTRY_NOT_ALLOWED);
    assertThat(blocked.getShadow()).isFalse();
    assertThat(blocked.getCountryCode()).isEqualTo("KP");
    assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
    assertThat(attempt(challengeId, 1).getString("state")).isEqualTo("BLOCKED");
    assertThat(attempt(challengeId, 1).getString("blockReason")).isEqualTo("COUNTRY_NOT_ALLOWED");
    assertThat(events().records(SmsDispatched.class, challengeId)).isEmpty();
    assertThat(events().records(SmsDispatchFailed.class, challengeId)).isEmpty();
  }

  @Test
  void theFourthSendToOneNumberWithinTheWindowIsBlockedWithTheCounts() {
    String phone = freshPhoneNumber();
    String challengeId = newChallengeId();

    for (int attempt = 1; attempt <= 4; attempt++) {
      publish(requested(challengeId, attempt, phone, "33344" + attempt).build());
    }

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 3);
    await().atMost(WAIT).until(() -> events().records(SmsBlocked.class, challengeId).size() == 1);
    SmsBlocked blocked = events().records(SmsBlocked.class, challengeId).get(0);
    assertThat(blocked.getAttempt()).isEqualTo(4);
    assertThat(blocked.getReason()).isEqualTo(SmsBlockReason.NUMBER_VELOCITY);
    assertThat(blocked.getLimit()).isEqualTo(3L);
    assertThat(blocked.getObserved()).isEqualTo(4L);
    assertThat(blocked.getWindowSeconds()).isEqualTo(600);
    assertThat(VONAGE.callsFor(challengeId, 4)).isEmpty();
    assertThat(VONAGE.callsFor(challengeId, 3)).hasSize(1);
  }

  private Document attempt(String challengeId, int attempt) {
    return mongo.findById(challengeId + ":" + attempt, Document.class, "sms_attempts").block();
  }
}
