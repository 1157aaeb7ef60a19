package dev.signet.rules.decision;

import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.rules.store.SignalStore;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Risk signals from SMS events: each SMS to a user that could not be delivered (the dispatcher gave
 * up, or a final receipt said failed, expired or rejected) is recorded under its event id, for the
 * {@code failedDeliveries} condition. Events without a user (anonymous sign-in challenges, receipts
 * for unknown messages) and refused forgeries (reason TAMPERED) are skipped.
 */
@Component
class SmsSignalListeners {

  private static final Set<DeliveryStatus> FAILED =
      EnumSet.of(DeliveryStatus.FAILED, DeliveryStatus.EXPIRED, DeliveryStatus.REJECTED);

  private final SignalStore signals;

  SmsSignalListeners(SignalStore signals) {
    this.signals = signals;
  }

  @KafkaListener(
      id = "sms-dispatch-failed",
      idIsGroup = false,
      topics = "#{T(dev.signet.events.Topics).SMS_DISPATCH_FAILED.name()}")
  void onDispatchFailed(SmsDispatchFailed failed) {
    if (failed.getUserId() == null || failed.getUserId().isEmpty()) {
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

  @KafkaListener(
      id = "sms-delivery-reported",
      idIsGroup = false,
      topics = "#{T(dev.signet.events.Topics).SMS_DELIVERY_REPORTED.name()}")
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
