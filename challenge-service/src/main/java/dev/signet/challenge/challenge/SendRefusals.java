package dev.signet.challenge.challenge;

import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengePurpose;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.SendRefusalReason;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Makes every send a guard refuses at request time visible in audit: a {@code ChallengeSendRefused}
 * event with the guard's reason, stored in its own small document ({@code send_refusals}, the
 * outbox of an event that belongs to no challenge) and published like every other event. The API
 * answer does not wait for it and never changes because of it: a refusal that cannot be recorded is
 * logged and still refused.
 */
@Component
class SendRefusals {

  static final String COLLECTION = "send_refusals";

  /** Sends refused at request time by the send limits and pumping guards, by reason. */
  static final String REFUSED = "signet.challenge.sends.refused";

  private static final Logger log = LoggerFactory.getLogger(SendRefusals.class);
  private static final Duration RETENTION = Duration.ofDays(1);

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final Clock clock;
  private final MeterRegistry meters;

  SendRefusals(ReactiveMongoTemplate mongo, Outbox outbox, Clock clock, MeterRegistry meters) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.clock = clock;
    this.meters = meters;
    // Registered up front: a rate over a series that appears at 1 misses its first refusal.
    for (SendRefusalReason reason : SendRefusalReason.values()) {
      refused(reason.name());
    }
    // Start-up only: the outbox relay's query, sparse like the other outbox-carrying collections.
    mongo
        .indexOps(COLLECTION)
        .createIndex(new Index(Outbox.FIELD + ".createdAt", Sort.Direction.ASC).sparse())
        .block(Duration.ofSeconds(30));
  }

  /**
   * The send being checked.
   *
   * @param challengeId the challenge of a resend; null for a new challenge
   * @param attempt the send attempt being refused
   * @param ipKey what the per-IP limit counts the reported address as, or null
   */
  record Send(
      String challengeId,
      int attempt,
      String userId,
      String action,
      String purpose,
      String phoneNumber,
      String countryCode,
      String ipKey,
      String correlationId) {}

  /**
   * A guard's refusal.
   *
   * @param reason a {@code SendRefusalReason} symbol
   * @param refusal what the API answers
   * @param limit the counter's limit, or null
   * @param window the counter's window, or null
   * @param policyVersion the send policy version that refused, or null
   */
  record Refusal(
      String reason,
      dev.signet.challenge.outcome.Refusal refusal,
      Long limit,
      Duration window,
      Long policyVersion) {}

  /** Records {@code refusal} of {@code send}, then fails with the refusal's error. */
  <T> Mono<T> refuse(Send send, Refusal refusal) {
    ChallengeSendRefused event = event(send, refusal);
    String key =
        send.challengeId() != null
            ? send.challengeId()
            : send.userId() != null ? send.userId() : event.getEventId();
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_SEND_REFUSED.name(), key, event);
    Document doc =
        new Document("_id", event.getEventId())
            .append("at", java.util.Date.from(event.getOccurredAt()))
            .append(Outbox.FIELD, List.of(wrapped));
    // Reasons are the SendRefusalReason symbols: a bounded tag.
    refused(refusal.reason()).increment();
    log.info(
        "send refused reason={} challengeId={} userId={} action={} phone={}",
        refusal.reason(),
        send.challengeId(),
        send.userId(),
        send.action(),
        PhoneNumbers.mask(send.phoneNumber()));
    return mongo
        .insert(doc, COLLECTION)
        .then(outbox.publishInBackground(COLLECTION, event.getEventId(), List.of(wrapped)))
        .onErrorResume(
            e -> {
              log.warn(
                  "send refusal not recorded reason={} error={}", refusal.reason(), e.toString());
              return Mono.empty();
            })
        .then(Mono.error(() -> refusal.refusal().asError()));
  }

  private Counter refused(String reason) {
    return meters.counter(REFUSED, "reason", reason.toLowerCase(Locale.ROOT));
  }

  private ChallengeSendRefused event(Send send, Refusal refusal) {
    Instant now = clock.instant();
    dev.signet.challenge.outcome.Refusal answer = refusal.refusal();
    return ChallengeSendRefused.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(send.correlationId() == null ? "" : send.correlationId())
        .setChallengeId(send.challengeId())
        .setAttempt(send.attempt())
        .setUserId(send.userId())
        .setAction(send.action() == null ? "" : send.action())
        .setPurpose(purpose(send.purpose()))
        .setPhoneNumberMasked(PhoneNumbers.mask(send.phoneNumber()))
        .setCountryCode(send.countryCode() == null ? "" : send.countryCode())
        .setReason(SendRefusalReason.valueOf(refusal.reason()))
        .setError(answer.code())
        .setRetryAfterSeconds(
            answer instanceof dev.signet.challenge.outcome.Refusal.TooManyRequests limited
                ? limited.retryAfterSeconds()
                : null)
        .setLimit(refusal.limit())
        .setWindowSeconds(refusal.window() == null ? null : (int) refusal.window().toSeconds())
        .setPolicyVersion(refusal.policyVersion())
        .setIpAddressKey(send.ipKey())
        .build();
  }

  private static ChallengePurpose purpose(String purpose) {
    try {
      return purpose == null ? ChallengePurpose.UNKNOWN : ChallengePurpose.valueOf(purpose);
    } catch (IllegalArgumentException e) {
      return ChallengePurpose.UNKNOWN;
    }
  }

  /** Deletes refusals a day old whose event was published. */
  Mono<Long> purge() {
    Query old =
        Query.query(
            Criteria.where("at")
                .lt(java.util.Date.from(clock.instant().minus(RETENTION)))
                .and(Outbox.FIELD)
                .size(0));
    return mongo.remove(old, COLLECTION).map(r -> r.getDeletedCount());
  }
}
