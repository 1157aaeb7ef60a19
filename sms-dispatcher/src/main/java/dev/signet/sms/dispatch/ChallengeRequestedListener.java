package dev.signet.sms.dispatch;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.sms.config.DispatcherProperties;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Turns each requested challenge into one message through Vonage. Expired challenges are skipped: a
 * code that arrives after its lifetime only confuses the user.
 */
@Component
class ChallengeRequestedListener {

  private static final Logger log = LoggerFactory.getLogger(ChallengeRequestedListener.class);

  private final CodeOpener opener;
  private final SmsSender sender;
  private final DispatcherProperties properties;
  private final Clock clock;

  ChallengeRequestedListener(
      CodeOpener opener, SmsSender sender, DispatcherProperties properties, Clock clock) {
    this.opener = opener;
    this.sender = sender;
    this.properties = properties;
    this.clock = clock;
  }

  @KafkaListener(
      id = "challenge-requested",
      idIsGroup = false,
      topics = "#{T(dev.signet.events.Topics).CHALLENGE_REQUESTED.name()}")
  void onRequested(ChallengeRequested event) {
    String challengeId = event.getChallengeId();
    if (!event.getExpiresAt().isAfter(clock.instant())) {
      log.info(
          "challenge expired before dispatch challengeId={} attempt={}",
          challengeId,
          event.getAttempt());
      return;
    }
    String code = opener.open(event.getSealKeyId(), challengeId, toArray(event.getSealedCode()));
    // The lifetime the code was issued with, rounded: "expires in 10 minutes", not 9 after a delay.
    long minutes =
        Math.max(
            1,
            Math.round(
                Duration.between(event.getOccurredAt(), event.getExpiresAt()).toSeconds() / 60.0));
    String text =
        "Your "
            + properties.appName()
            + " code is "
            + code
            + ". It expires in "
            + minutes
            + " minutes.";
    SmsSender.Sent sent =
        sender
            .send(event.getPhoneNumber(), text)
            // The listener thread waits so that the offset is committed only after the provider
            // call; the call itself runs on the bounded elastic scheduler.
            .block(properties.vonageTimeout().plusSeconds(2));
    if (sent.status() != com.vonage.client.sms.MessageStatus.OK) {
      throw new IllegalStateException("provider refused the message with status " + sent.status());
    }
    log.info(
        "sms dispatched challengeId={} attempt={} messageId={} status={} segments={}",
        challengeId,
        event.getAttempt(),
        sent.messageId(),
        sent.status(),
        sent.segments());
  }

  private static byte[] toArray(java.nio.ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
