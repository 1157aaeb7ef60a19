package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsEncoding;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.platform.seal.SealBinding;
import dev.signet.sms.it.DispatcherItSupport;
import dev.signet.sms.it.VonageStub;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The send lifecycle against a real broker, the MongoDB-wire server and the real Vonage SDK talking
 * to a stub: one SMS per attempt however often the event arrives, retries on transient failures,
 * immediate failure on rejections, and an event for every outcome.
 */
class DispatchIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired StaleClaims staleClaims;
  @Autowired FallbackStore fallbacks;
  @Autowired MeterRegistry meters;

  @Test
  void aRedeliveredEventSendsOneSmsAndOneDispatchedEvent() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    ChallengeRequested event = requested(challengeId, 1, phone, "482913").build();

    publish(event);
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    publish(event);
    publish(event);
    // A later event on the same partition is processed after the redeliveries.
    String marker = newChallengeId();
    publishOnSamePartitionAs(challengeId, marker);
    await().atMost(WAIT).until(() -> !events().records(SmsDispatched.class, marker).isEmpty());

    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    VonageStub.Call call = VONAGE.callsFor(challengeId, 1).get(0);
    assertThat(call.to()).isEqualTo(phone.substring(1));
    assertThat(call.text()).contains("482913").contains("10 minutes");
    List<SmsDispatched> dispatched = events().records(SmsDispatched.class, challengeId);
    assertThat(dispatched).hasSize(1);
    SmsDispatched sms = dispatched.get(0);
    assertThat(sms.getProviderMessageId()).isEqualTo(call.messageId());
    assertThat(sms.getSegments()).isEqualTo(1);
    assertThat(sms.getEncoding()).isEqualTo(SmsEncoding.GSM7);
    assertThat(sms.getPrice()).isEqualTo("0.03330000");
    assertThat(sms.getCurrency()).isEqualTo("EUR");
    assertThat(sms.getProviderAttempts()).isEqualTo(1);
    assertThat(sms.getCorrelationId()).isEqualTo("corr-" + challengeId);
    assertThat(sms.getPhoneNumberMasked()).doesNotContain(phone.substring(4, 10));
    assertThat(events().records(SmsDispatchFailed.class, challengeId)).isEmpty();

    Document attempt = attempt(challengeId, 1);
    assertThat(attempt.getString("state")).isEqualTo("SENT");
    assertThat(attempt.getList("providerMessageIds", String.class))
        .containsExactly(call.messageId());
    assertThat(attempt.toJson()).doesNotContain("482913").doesNotContain(phone);
    await()
        .atMost(WAIT)
        .until(() -> attempt(challengeId, 1).getList("outbox", Object.class).isEmpty());
  }

  @Test
  void aResendIsANewAttemptAndSendsAgain() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();

    publish(requested(challengeId, 1, phone, "111111").build());
    publish(requested(challengeId, 2, phone, "222222").build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 2);
    assertThat(VONAGE.callsFor(challengeId, 1))
        .singleElement()
        .satisfies(c -> assertThat(c.text()).contains("111111"));
    assertThat(VONAGE.callsFor(challengeId, 2))
        .singleElement()
        .satisfies(c -> assertThat(c.text()).contains("222222"));
  }

  @Test
  void theTextFollowsTheChallengeLocaleThenTheNumbersCountryAndGoesAsUnicodeWhenItMust() {
    String japanese = newChallengeId();
    String spanish = newChallengeId();

    publish(requested(japanese, 1, freshPhoneNumber(), "246810").setLocale("ja-JP").build());
    publish(requested(spanish, 1, freshPhoneNumber(), "135791").setCountryCode("ES").build());

    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, japanese).size() == 1);
    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, spanish).size() == 1);
    SmsDispatched ja = events().records(SmsDispatched.class, japanese).get(0);
    assertThat(ja.getLocale()).isEqualTo("ja");
    assertThat(ja.getEncoding()).isEqualTo(SmsEncoding.UCS2);
    VonageStub.Call jaCall = VONAGE.callsFor(japanese, 1).get(0);
    assertThat(jaCall.params().get("type")).isEqualTo("unicode");
    assertThat(jaCall.text()).contains("246810").contains("10分");
    // A region with a sender of its own; the others keep the default sender id.
    assertThat(jaCall.params().get("from")).isEqualTo("Signet");
    SmsDispatched es = events().records(SmsDispatched.class, spanish).get(0);
    assertThat(es.getLocale()).isEqualTo("es");
    assertThat(es.getEncoding()).isEqualTo(SmsEncoding.GSM7);
    assertThat(VONAGE.callsFor(spanish, 1).get(0).text())
        .isEqualTo("Tu codigo de Signet es 135791. Caduca en 10 minutos.");
  }

  @Test
  void aRegionWithASenderOfItsOwnIsSentFromIt() {
    String challengeId = newChallengeId();

    publish(requested(challengeId, 1, "+819012345678", "717171").setCountryCode("JP").build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    assertThat(VONAGE.callsFor(challengeId, 1).get(0).params().get("from"))
        .isEqualTo("+815012345678");
  }

  @Test
  void anExpiredChallengeIsNotSentAndReportedFailed() {
    String challengeId = newChallengeId();
    Instant past = Instant.now().minusSeconds(5);
    publish(
        resealed(
                requested(challengeId, 1, freshPhoneNumber(), "333333")
                    .setOccurredAt(past.minusSeconds(600))
                    .setExpiresAt(past),
                "333333")
            .build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed failed = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(failed.getReason()).isEqualTo(SmsFailureReason.CHALLENGE_EXPIRED);
    assertThat(failed.getRetryable()).isFalse();
    assertThat(failed.getProviderAttempts()).isZero();
    assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
  }

  @Test
  void aCodeSealedForAnotherChallengeIsRefusedAsTamperedWithoutAProviderCall() {
    String challengeId = newChallengeId();
    String phone = freshPhoneNumber();
    ChallengeRequested.Builder event = requested(challengeId, 1, phone, "444444");
    publish(
        event
            .setSealedCode(
                java.nio.ByteBuffer.wrap(
                    seal(
                        new SealBinding("another-challenge", 1, phone, "SMS", event.getExpiresAt()),
                        "444444")))
            .build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    assertThat(events().records(SmsDispatchFailed.class, challengeId).get(0).getReason())
        .isEqualTo(SmsFailureReason.TAMPERED);
    assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
  }

  @Test
  void aRepublishedEventWithAnotherNumberIsRefusedAndTheGenuineOneStillGoesOut() {
    String challengeId = newChallengeId();
    String victim = freshPhoneNumber();
    String attacker = freshPhoneNumber();
    ChallengeRequested genuine = requested(challengeId, 1, victim, "747474").build();
    // The forgery arrives first, with the genuine sealed code and the attacker's number.
    ChallengeRequested forged =
        ChallengeRequested.newBuilder(genuine)
            .setEventId(java.util.UUID.randomUUID().toString())
            .setPhoneNumber(attacker)
            .setPhoneNumberMasked("+44******0000")
            .build();

    publish(forged);
    publish(genuine);

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed refused = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(refused.getReason()).isEqualTo(SmsFailureReason.TAMPERED);
    assertThat(refused.getRetryable()).isFalse();
    assertThat(refused.getProviderAttempts()).isZero();
    // The number it asked for, masked by the dispatcher, not the event's own masked field.
    assertThat(refused.getPhoneNumberMasked())
        .isEqualTo("+44******" + attacker.substring(attacker.length() - 4));
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(VONAGE.callsFor(challengeId, 1).get(0).params().get("to"))
        .isEqualTo(victim.substring(1));
  }

  @Test
  void aLegacySealIsRefusedUnlessLegacySealsAreAccepted() {
    String challengeId = newChallengeId();
    publish(
        requested(challengeId, 1, freshPhoneNumber(), "363636")
            .setSealedCode(java.nio.ByteBuffer.wrap(sealLegacy(challengeId, "363636")))
            .setSealVersion(SealBinding.LEGACY_VERSION)
            .build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed refused = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(refused.getReason()).isEqualTo(SmsFailureReason.SEALED_CODE_INVALID);
    assertThat(refused.getDetail()).contains("legacy");
    assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
  }

  @Test
  void throttlingAndServerErrorsAreRetriedUntilTheProviderAccepts() {
    String challengeId = newChallengeId();
    VONAGE.failNext(VonageStub.Fault.THROTTLE, 2);
    VONAGE.failNext(VonageStub.Fault.SERVER_ERROR, 1);

    publish(requested(challengeId, 1, freshPhoneNumber(), "555555").build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    assertThat(events().records(SmsDispatched.class, challengeId).get(0).getProviderAttempts())
        .isEqualTo(4);
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(4);
    assertThat(VONAGE.callsFor(challengeId, 1).stream().filter(c -> c.messageId() != null))
        .hasSize(1);
  }

  @Test
  void aHangingProviderCallDoesNotHoldUpTheNextEventOfItsPartition() {
    // The listener waits for claims only: the next event is sent while the first one's call still
    // hangs (3 s SDK timeout), not after it.
    String slow = newChallengeId();
    VONAGE.failNext(VonageStub.Fault.HANG, 1);
    publish(requested(slow, 1, freshPhoneNumber(), "246801").build());
    await().atMost(WAIT).until(() -> !VONAGE.callsFor(slow, 1).isEmpty());

    String next = newChallengeId();
    publishOnSamePartitionAs(slow, next);
    await().atMost(WAIT).until(() -> !events().records(SmsDispatched.class, next).isEmpty());
    assertThat(events().records(SmsDispatched.class, slow))
        .as("the hanging attempt is not done")
        .isEmpty();

    // The hanging call timed out: the provider may have taken it, so the route is not called again
    // and the outcome is unknown until a receipt or the fallback window.
    await().atMost(WAIT).until(() -> events().records(SmsDispatchFailed.class, slow).size() == 1);
    assertThat(events().records(SmsDispatchFailed.class, slow).get(0).getReason())
        .isEqualTo(SmsFailureReason.TIMEOUT);
    assertThat(VONAGE.callsFor(slow, 1)).hasSize(1);
    assertThat(attempt(slow, 1).getString("fallbackReason")).isEqualTo("OUTCOME_UNKNOWN");

    // When its window has passed without a receipt, the same code goes out once more.
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(slow + ":1")),
            new Update().set("fallbackDueAt", Date.from(Instant.now().minusSeconds(1))),
            SendAttempts.COLLECTION)
        .block();
    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, slow).size() == 1);
    SmsDispatched fallback = events().records(SmsDispatched.class, slow).get(0);
    assertThat(fallback.getFallback()).isEqualTo(1);
    assertThat(fallback.getFallbackReason()).isEqualTo("OUTCOME_UNKNOWN");
    assertThat(VONAGE.callsFor(slow, 1)).hasSize(2);
    assertThat(VONAGE.callsFor(slow, 1).get(1).text()).contains("246801");
    Document settled = attempt(slow, 1);
    assertThat(settled.getString("state")).isEqualTo("SENT");
    assertThat(settled.getInteger("fallbacks")).isEqualTo(1);
    assertThat(settled.get("resend")).as("no second fallback: nothing left to send").isNull();
    assertThat(settled.getBoolean("fallbackLast")).isTrue();
  }

  @Test
  void aFailedReceiptSendsTheSameCodeOnceMoreAtOnceNotAfterTheWindow() {
    String challengeId = newChallengeId();
    publish(requested(challengeId, 1, freshPhoneNumber(), "135790").build());
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    String messageId =
        events().records(SmsDispatched.class, challengeId).get(0).getProviderMessageId();

    // The carrier reports the message failed: the fallback is due now, not after its 30 s window.
    fallbacks.settle(challengeId + ":1", messageId, "FAILED", Instant.now()).block(WAIT);

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 2);
    SmsDispatched fallback = events().records(SmsDispatched.class, challengeId).get(1);
    assertThat(fallback.getFallback()).isEqualTo(1);
    assertThat(fallback.getFallbackReason()).isEqualTo("DELIVERY_FAILED");
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(2);
    assertThat(VONAGE.callsFor(challengeId, 1).get(1).text()).contains("135790");
    // One fallback per attempt (the default): when it fails too, none is left to send, and the
    // attempt is announced as out of fallbacks with its code undelivered, once.
    fallbacks.settle(challengeId + ":1", messageId, "FAILED", Instant.now()).block(WAIT);
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed exhausted = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(exhausted.getReason()).isEqualTo(SmsFailureReason.FALLBACKS_EXHAUSTED);
    assertThat(exhausted.getFallback()).isEqualTo(2);
    assertThat(exhausted.getFallbackReason()).isEqualTo("DELIVERY_FAILED");
    assertThat(exhausted.getProviderAttempts()).isZero();
    assertThat(exhausted.getDetail()).contains("after 1 fallback");
    Document settled = attempt(challengeId, 1);
    assertThat(settled.getInteger("fallbacks")).isEqualTo(1);
    assertThat(settled.get("fallbackDueAt")).isNull();
    assertThat(settled.get("resend")).isNull();
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(2);
    assertThat(events().records(SmsDispatched.class, challengeId)).hasSize(2);
  }

  @Test
  void aFallbackDueAfterTheCodeExpiredIsNotSentAndIsCountedAndAnnouncedWithItsReason() {
    String challengeId = newChallengeId();
    publish(requested(challengeId, 1, freshPhoneNumber(), "975310").build());
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatched.class, challengeId).size() == 1);
    double before = notSentFallbacks();

    // The window passed without a receipt, and by then the code had expired.
    Date past = Date.from(Instant.now().minusSeconds(1));
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(challengeId + ":1")),
            new Update().set("resend.expiresAt", past).set("fallbackDueAt", past),
            SendAttempts.COLLECTION)
        .block();

    await().atMost(WAIT).until(() -> attempt(challengeId, 1).get("fallbackFailures") != null);
    Document settled = attempt(challengeId, 1);
    assertThat(settled.getList("fallbackFailures", Document.class).get(0).getString("detail"))
        .isEqualTo("challenge expired");
    assertThat(settled.get("resend")).as("nothing left to send").isNull();
    assertThat(settled.get("fallbackDueAt")).isNull();
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(events().records(SmsDispatched.class, challengeId)).hasSize(1);
    assertThat(notSentFallbacks()).isGreaterThanOrEqualTo(before + 1);
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed notSent = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(notSent.getReason()).isEqualTo(SmsFailureReason.CHALLENGE_EXPIRED);
    assertThat(notSent.getFallback()).isEqualTo(1);
    assertThat(notSent.getFallbackReason()).isEqualTo("NO_DELIVERY_IN_WINDOW");
    assertThat(notSent.getDetail()).isEqualTo("challenge expired");
    assertThat(notSent.getRoute()).isEqualTo("vonage-sms");
    assertThat(notSent.getProviderAttempts()).isZero();
  }

  private double notSentFallbacks() {
    return meters
        .counter(
            "signet.sms.fallbacks",
            "route",
            "none",
            "reason",
            "no_delivery_in_window",
            "outcome",
            "not_sent")
        .count();
  }

  @Test
  void aRejectionFailsAtOnceWithoutRetries() {
    String challengeId = newChallengeId();
    VONAGE.failNext(VonageStub.Fault.REJECT, 1);

    publish(requested(challengeId, 1, freshPhoneNumber(), "666666").build());

    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    SmsDispatchFailed failed = events().records(SmsDispatchFailed.class, challengeId).get(0);
    assertThat(failed.getReason()).isEqualTo(SmsFailureReason.REJECTED);
    assertThat(failed.getRetryable()).isFalse();
    assertThat(failed.getProviderAttempts()).isEqualTo(1);
    assertThat(failed.getProviderStatus()).isEqualTo("6");
    assertThat(failed.getProvider()).isEqualTo("vonage");
    assertThat(VONAGE.callsFor(challengeId, 1)).hasSize(1);
    assertThat(attempt(challengeId, 1).getString("state")).isEqualTo("FAILED");
  }

  @Test
  void aClaimWithoutOutcomeIsResolvedFailedAndNeverSent() {
    // Given a claim left behind by a dispatcher that stopped before recording the outcome.
    String challengeId = newChallengeId();
    Document claim =
        new Document("_id", challengeId + ":1")
            .append("challengeId", challengeId)
            .append("attempt", 1)
            .append("state", "CLAIMED")
            .append("claimToken", "crashed-instance")
            .append("claimedAt", Date.from(Instant.now().minusSeconds(3600)))
            .append("requestedAt", Date.from(Instant.now().minusSeconds(3600)))
            .append("phoneNumberMasked", "+44******0001")
            .append("countryCode", "GB");
    mongo.insert(claim, SendAttempts.COLLECTION).block();

    // When the event is redelivered after the restart, and the sweep runs.
    publish(requested(challengeId, 1, freshPhoneNumber(), "777777").build());
    String marker = newChallengeId();
    publishOnSamePartitionAs(challengeId, marker);
    await().atMost(WAIT).until(() -> !events().records(SmsDispatched.class, marker).isEmpty());
    assertThat(staleClaims.resolve().block()).isGreaterThanOrEqualTo(1L);

    // Then nothing was sent, and the attempt failed with an unknown outcome, once.
    await()
        .atMost(WAIT)
        .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
    assertThat(events().records(SmsDispatchFailed.class, challengeId).get(0).getReason())
        .isEqualTo(SmsFailureReason.UNKNOWN);
    assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
    assertThat(attempt(challengeId, 1).getString("state")).isEqualTo("FAILED");
    assertThat(staleClaims.resolve().block()).isZero();
  }

  @Test
  void aDeliveredReceiptThatComesWhileTheSweepResolvesAStaleClaimSettlesItAsSent() {
    // Given a claim left behind by a dispatcher killed while the provider held its call, as the
    // stale-claim sweep read it.
    String challengeId = newChallengeId();
    mongo
        .insert(
            new Document("_id", challengeId + ":1")
                .append("challengeId", challengeId)
                .append("attempt", 1)
                .append("state", "CLAIMED")
                .append("claimToken", "killed-instance")
                .append("claimedAt", Date.from(Instant.now().minusSeconds(3600)))
                .append("requestedAt", Date.from(Instant.now().minusSeconds(3600)))
                .append("phoneNumberMasked", "+44******0001")
                .append("countryCode", "GB"),
            SendAttempts.COLLECTION)
        .block();
    Document asRead = attempt(challengeId, 1);

    // When the provider, which took the message anyway, reports it delivered before the sweep
    // writes its resolution.
    fallbacks.settle(challengeId + ":1", "held-message", "DELIVERED", Instant.now()).block();
    staleClaims.resolve(asRead, Instant.now()).block();

    // Then the attempt is sent and delivered, not failed with a receipt that nothing settles.
    Document settled = attempt(challengeId, 1);
    assertThat(settled.getString("state")).as(settled.toJson()).isEqualTo("SENT");
    assertThat(settled.getString("failureReason")).isNull();
    assertThat(settled.getDate("deliveredAt")).isNotNull();
    assertThat(settled.getDate("settledByReceiptAt")).isNotNull();
    assertThat(settled.get("fallbackDueAt")).isNull();
  }

  /** Publishes a fresh challenge whose key hashes to the same partition as {@code challengeId}. */
  private Document attempt(String challengeId, int attempt) {
    return mongo
        .findOne(
            Query.query(Criteria.where("_id").is(challengeId + ":" + attempt)),
            Document.class,
            SendAttempts.COLLECTION)
        .block();
  }
}
