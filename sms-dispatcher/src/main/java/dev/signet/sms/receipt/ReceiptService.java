package dev.signet.sms.receipt;

import dev.signet.events.Topics;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsChannel;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.dispatch.DeliveryMeters;
import dev.signet.sms.dispatch.FallbackStore;
import dev.signet.sms.dispatch.KnownAttempts;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.domain.SendRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Stores each distinct delivery receipt once, with its delivery-reported event in the same document
 * ({@code sms_receipts}, {@code _id} = message id, status and error code), then publishes the
 * event. A duplicate finds the document and changes nothing.
 */
@Component
class ReceiptService {

  static final String COLLECTION = "sms_receipts";
  private static final Logger log = LoggerFactory.getLogger(ReceiptService.class);

  private final ReactiveMongoTemplate mongo;
  private final KnownAttempts attempts;
  private final Outbox outbox;
  private final Clock clock;
  private final DeliveryMeters meters;
  private final FallbackStore fallbacks;

  ReceiptService(
      ReactiveMongoTemplate mongo,
      KnownAttempts attempts,
      Outbox outbox,
      Clock clock,
      DeliveryMeters meters,
      FallbackStore fallbacks) {
    this.mongo = mongo;
    this.attempts = attempts;
    this.outbox = outbox;
    this.clock = clock;
    this.meters = meters;
    this.fallbacks = fallbacks;
  }

  /** Whether the receipt was new; completes only once it is stored. */
  Mono<Boolean> accept(DeliveryReceipt receipt) {
    Instant now = clock.instant();
    return attempts
        .lookup(receipt.messageId(), receipt.clientRef())
        .map(java.util.Optional::of)
        .defaultIfEmpty(java.util.Optional.empty())
        .flatMap(
            known -> {
              KnownAttempts.KnownAttempt attempt = known.orElse(null);
              OutboxEvent event = event(receipt, attempt, now);
              Document doc =
                  new Document("_id", receipt.dedupeKey())
                      .append("messageId", receipt.messageId())
                      .append("status", receipt.status())
                      .append("errorCode", receipt.errorCode())
                      .append("networkCode", receipt.networkCode())
                      .append("price", receipt.price())
                      .append("challengeId", attempt == null ? null : attempt.challengeId())
                      .append("attempt", attempt == null ? null : attempt.attempt())
                      .append(
                          "reportedAt",
                          receipt.reportedAt() == null ? null : Date.from(receipt.reportedAt()))
                      .append("receivedAt", Date.from(now))
                      .append(Outbox.FIELD, List.of(event.toDocument()));
              return settle(attempt, receipt, now)
                  .then(mongo.insert(doc, COLLECTION))
                  .doOnNext(
                      stored -> {
                        if (attempt != null) {
                          meters.receipt(
                              DeliveryMeters.route(attempt.route(), attempt.channel()),
                              attempt.countryCode(),
                              status(receipt.status()).name().toLowerCase(Locale.ROOT));
                        }
                        log.info(
                            "delivery receipt stored messageId={} status={} challengeId={}"
                                + " attempt={}",
                            receipt.messageId(),
                            receipt.status(),
                            attempt == null ? "" : attempt.challengeId(),
                            attempt == null ? 0 : attempt.attempt());
                      })
                  // Stored first, so the answer can be 2xx even when the broker is down: the relay
                  // publishes what this could not.
                  .flatMap(
                      stored ->
                          outbox
                              .publish(COLLECTION, receipt.dedupeKey(), List.of(event))
                              .thenReturn(true))
                  .onErrorResume(
                      DuplicateKeyException.class,
                      e -> {
                        log.info(
                            "duplicate delivery receipt ignored messageId={} status={}",
                            receipt.messageId(),
                            receipt.status());
                        return Mono.just(false);
                      });
            });
  }

  /**
   * What the receipt settles for its attempt's fallback, when the attempt is known; before the
   * insert and idempotent: a receipt whose answer failed comes again and settles then, while a
   * stored duplicate changes nothing.
   */
  private Mono<Void> settle(
      KnownAttempts.KnownAttempt attempt, DeliveryReceipt receipt, Instant now) {
    if (attempt == null) {
      return Mono.empty();
    }
    return fallbacks.settle(
        SendRequest.attemptId(attempt.challengeId(), attempt.attempt()),
        receipt.messageId(),
        status(receipt.status()).name(),
        now);
  }

  private OutboxEvent event(
      DeliveryReceipt receipt, KnownAttempts.KnownAttempt attempt, Instant now) {
    String eventId = UUID.randomUUID().toString();
    DeliveryStatus status = status(receipt.status());
    SmsDeliveryReported event =
        SmsDeliveryReported.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(now)
            .setCorrelationId(attempt == null ? receipt.messageId() : attempt.correlationId())
            .setChallengeId(attempt == null ? "" : attempt.challengeId())
            .setAttempt(attempt == null ? 0 : attempt.attempt())
            .setUserId(attempt == null ? null : attempt.userId())
            .setProviderMessageId(receipt.messageId())
            .setStatus(status)
            .setFinalStatus(receipt.isFinal())
            .setErrorCode(receipt.errorCode())
            .setNetworkCode(receipt.networkCode())
            .setPrice(receipt.price())
            .setCurrency(receipt.price() == null ? null : "EUR")
            .setPhoneNumberMasked(attempt == null ? "" : attempt.phoneNumberMasked())
            .setCountryCode(attempt == null ? "" : attempt.countryCode())
            .setDispatchedAt(attempt == null ? null : attempt.dispatchedAt())
            .setProviderReportedAt(receipt.reportedAt())
            .setSendToReceiptMillis(
                attempt == null || attempt.dispatchedAt() == null
                    ? null
                    : Math.max(0, now.toEpochMilli() - attempt.dispatchedAt().toEpochMilli()))
            .setChannel(
                attempt != null && attempt.channel() == Channel.WHATSAPP
                    ? SmsChannel.WHATSAPP
                    : SmsChannel.SMS)
            .build();
    String key = attempt == null ? receipt.messageId() : attempt.challengeId();
    return outbox.wrap(eventId, Topics.SMS_DELIVERY_REPORTED.name(), key, event);
  }

  static DeliveryStatus status(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "delivered" -> DeliveryStatus.DELIVERED;
      case "accepted" -> DeliveryStatus.ACCEPTED;
      case "buffered" -> DeliveryStatus.BUFFERED;
      case "failed" -> DeliveryStatus.FAILED;
      case "expired" -> DeliveryStatus.EXPIRED;
      case "rejected" -> DeliveryStatus.REJECTED;
      default -> DeliveryStatus.UNKNOWN;
    };
  }
}
