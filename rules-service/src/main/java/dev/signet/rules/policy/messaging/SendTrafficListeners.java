package dev.signet.rules.policy.messaging;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.rules.policy.service.PumpingDetector;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the pumping guard from the event stream, in a consumer group of its own ({@code
 * rules-service-send-policy}) so it reads every record of these topics independently of the
 * decision listeners, with one consumer for the three topics. Each record's work is done (and
 * durable) before its offset is committed; the detector deduplicates on event ids.
 */
@Component
@KafkaListener(
    id = "send-policy-traffic",
    groupId = SendTrafficListeners.GROUP,
    topics = {
      "#{T(dev.signet.events.Topics).CHALLENGE_REQUESTED.name()}",
      "#{T(dev.signet.events.Topics).SMS_DISPATCHED.name()}",
      "#{T(dev.signet.events.Topics).CHALLENGE_VERIFIED.name()}"
    },
    // The guard counts over minutes: the broker may hold a fetch up to 200 ms to fill it, so one
    // fetch and one commit carry many records instead of one each.
    properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=200"})
class SendTrafficListeners {

  static final String GROUP = "rules-service-send-policy";

  private final PumpingDetector detector;

  SendTrafficListeners(PumpingDetector detector) {
    this.detector = detector;
  }

  @KafkaHandler
  void onRequested(ChallengeRequested requested) {
    if (requested.getTestNumber()) {
      return; // never sent to a provider: not traffic anyone pays for
    }
    detector.onRequested(
        requested.getEventId(),
        requested.getPhoneNumber(),
        requested.getCountryCode(),
        requested.getOccurredAt());
  }

  @KafkaHandler
  void onDispatched(SmsDispatched dispatched) {
    // A fallback re-sends an attempt already counted: the send policy counts the attempt once.
    if (dispatched.getTestNumber() || dispatched.getFallback() > 0) {
      return;
    }
    detector.onDispatched(
        dispatched.getEventId(), dispatched.getCountryCode(), dispatched.getOccurredAt());
  }

  @KafkaHandler
  void onVerified(ChallengeVerified verified) {
    detector.onVerified(verified.getEventId(), verified.getCountryCode(), verified.getOccurredAt());
  }
}
