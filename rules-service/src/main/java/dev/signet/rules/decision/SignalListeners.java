package dev.signet.rules.decision;

import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.rules.store.SignalStore;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Risk signals from the event stream, recorded under each event's id (at-least-once; the store
 * deduplicates): challenge outcomes of a user, for the {@code failedVerifications} condition, and
 * each SMS to a user that could not be delivered (the dispatcher gave up, or a final receipt said
 * failed, expired or rejected), for {@code failedDeliveries}. Events without a user (anonymous
 * sign-in challenges, receipts for unknown messages), refused forgeries (reason TAMPERED) and
 * fallbacks that were not sent (an attempt already sent, whose failed receipt counts) are skipped.
 * One consumer reads all four topics, in the service's group: a consumer per topic polled and
 * committed on its own for what is a few records per challenge.
 */
@Component
@KafkaListener(
    id = "risk-signals",
    idIsGroup = false,
    topics = {
      "#{T(dev.signet.events.Topics).CHALLENGE_VERIFICATION_FAILED.name()}",
      "#{T(dev.signet.events.Topics).CHALLENGE_VERIFIED.name()}",
      "#{T(dev.signet.events.Topics).SMS_DISPATCH_FAILED.name()}",
      "#{T(dev.signet.events.Topics).SMS_DELIVERY_REPORTED.name()}"
    },
    // A signal may reach the store up to 50 ms later, so that a fetch carries several records.
    properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=50"})
class SignalListeners {

  private static final Set<DeliveryStatus> FAILED =
      EnumSet.of(DeliveryStatus.FAILED, DeliveryStatus.EXPIRED, DeliveryStatus.REJECTED);

  private final SignalStore signals;

  SignalListeners(SignalStore signals) {
    this.signals = signals;
  }

  @KafkaHandler
  void onVerificationFailed(ChallengeVerificationFailed failed) {
    if (failed.getUserId() == null) {
      return; // an anonymous sign-in challenge: no user to attribute the failure to
    }
    signals.recordChallenge(
        failed.getEventId(),
        failed.getUserId(),
        SignalStore.ChallengeOutcome.FAILED,
        failed.getOccurredAt());
  }

  @KafkaHandler
  void onVerified(ChallengeVerified verified) {
    if (verified.getUserId() == null) {
      return;
    }
    signals.recordChallenge(
        verified.getEventId(),
        verified.getUserId(),
        SignalStore.ChallengeOutcome.VERIFIED,
        verified.getOccurredAt());
  }

  @KafkaHandler
  void onDispatchFailed(SmsDispatchFailed failed) {
    if (failed.getUserId() == null || failed.getUserId().isEmpty()) {
      return;
    }
    if (failed.getFallback() > 0) {
      // A fallback of an attempt that was sent could not go out: no further SMS failed, and its
      // failed receipt, if one came, counts already.
      return;
    }
    if (failed.getReason() == SmsFailureReason.TAMPERED) {
      // A forged requested event the dispatcher refused: no SMS to the user failed, and counting
      // it would let whoever forged it push a user over a failedDeliveries rule.
      return;
    }
    signals.recordFailedDelivery(
        failed.getEventId(),
        failed.getUserId(),
        "DISPATCH_" + failed.getReason().name(),
        failed.getOccurredAt());
  }

  @KafkaHandler
  void onDeliveryReported(SmsDeliveryReported reported) {
    if (reported.getUserId() == null
        || reported.getUserId().isEmpty()
        || !FAILED.contains(reported.getStatus())) {
      return;
    }
    signals.recordFailedDelivery(
        reported.getEventId(),
        reported.getUserId(),
        "RECEIPT_" + reported.getStatus().name(),
        reported.getOccurredAt());
  }
}
