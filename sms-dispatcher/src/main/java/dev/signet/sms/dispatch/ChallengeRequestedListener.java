package dev.signet.sms.dispatch;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.sms.config.DispatcherProperties;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes requested challenges and hands each to the {@link DispatchService}. The listener thread
 * waits for the attempt to be recorded so that the offset is committed only after it; the provider
 * calls themselves run on the bounded elastic scheduler.
 */
@Component
class ChallengeRequestedListener {

  private final DispatchService dispatch;
  private final Duration wait;

  ChallengeRequestedListener(DispatchService dispatch, DispatcherProperties properties) {
    this.dispatch = dispatch;
    // Retries end at the send deadline; the last call may still take its timeout, twice over.
    this.wait =
        properties.sendDeadline().plus(properties.vonageTimeout().multipliedBy(2)).plusSeconds(10);
  }

  @KafkaListener(
      id = "challenge-requested",
      idIsGroup = false,
      topics = "#{T(dev.signet.events.Topics).CHALLENGE_REQUESTED.name()}")
  void onRequested(ChallengeRequested event) {
    dispatch.dispatch(toRequest(event)).block(wait);
  }

  static SendRequest toRequest(ChallengeRequested event) {
    String correlationId =
        event.getCorrelationId() == null || event.getCorrelationId().isEmpty()
            ? event.getEventId()
            : event.getCorrelationId();
    return new SendRequest(
        event.getEventId(),
        correlationId,
        event.getChallengeId(),
        event.getAttempt(),
        event.getPhoneNumber(),
        event.getPhoneNumberMasked(),
        event.getCountryCode(),
        event.getChannel() == null ? "SMS" : event.getChannel().name(),
        event.getAction(),
        event.getUserId(),
        event.getLocale(),
        event.getOccurredAt(),
        event.getExpiresAt(),
        event.getSealKeyId(),
        toArray(event.getSealedCode()));
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
