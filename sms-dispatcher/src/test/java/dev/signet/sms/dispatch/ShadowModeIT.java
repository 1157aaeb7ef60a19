package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.sms.SmsBlockReason;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.it.DispatcherItSupport;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Shadow mode: a guard that fires only reports. A second context (listeners off, so it never
 * competes with the shared one for records) dispatches directly.
 */
@TestPropertySource(
    properties = {"signet.sms.guard.shadow=true", "spring.kafka.listener.auto-startup=false"})
class ShadowModeIT extends DispatcherItSupport {

  @Autowired DispatchService dispatch;
  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void aGuardThatFiresInShadowModeIsReportedAndTheMessageIsSent() {
    String challengeId = newChallengeId();
    SendRequest request =
        ChallengeRequestedListener.toRequest(
            requested(challengeId, 1, "+85021234567", "555666").setCountryCode("KP").build());

    dispatch.dispatch(request).block(Duration.ofSeconds(30));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                events().records(SmsBlocked.class, challengeId).size() == 1
                    && events().records(SmsDispatched.class, challengeId).size() == 1);
    SmsBlocked blocked = events().records(SmsBlocked.class, challengeId).get(0);
    assertThat(blocked.getShadow()).isTrue();
    assertThat(blocked.getReason()).isEqualTo(SmsBlockReason.COUNTRY_NOT_ALLOWED);
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    Document attempt =
        mongo.findById(challengeId + ":1", Document.class, SendAttempts.COLLECTION).block();
    assertThat(attempt.getString("state")).isEqualTo("SENT");
  }
}
