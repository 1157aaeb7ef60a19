package dev.signet.audit;

import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionDecision;
import dev.signet.events.action.ActionState;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.action.MatchedRule;
import dev.signet.events.action.StateChangeCause;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.events.challenge.ChallengePurpose;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.challenge.SmsChannel;
import dev.signet.events.challenge.VerificationFailureReason;
import dev.signet.events.challenge.VerificationMethod;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsBlockReason;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * A recorded stream of one user's sign-in with an SMS challenge, as the other services emit it:
 * tracked → decided CHALLENGE → CHALLENGE_REQUIRED → requested → dispatched → ACCEPTED → DELIVERED
 * → a wrong code → verified → CHALLENGE_SUCCEEDED → enrolled → (much later) expired; and a second
 * challenge of the user whose SMS the send policy blocked.
 */
final class RecordedStream {

  record Event(String topic, String key, SpecificRecord value) {}

  static final String PHONE = "+447700900123";
  static final String MASKED = "+44******0123";
  static final String CODE_SECRET = "sealed-code-never-shown";

  final String userId;
  final String challengeId;
  final String blockedChallengeId;
  final String idempotencyKey;
  final String action = "signIn";
  final Instant t0;
  final List<Event> events = new ArrayList<>();

  RecordedStream(String suffix, Instant t0) {
    this.userId = "usr-" + suffix;
    this.challengeId = "chl-" + suffix;
    this.blockedChallengeId = "chl-blocked-" + suffix;
    this.idempotencyKey = "idem-" + suffix;
    this.t0 = t0;
    build();
  }

  private Instant at(long millis) {
    return t0.plusMillis(millis);
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  private void add(Topics.Topic topic, String key, SpecificRecord value) {
    events.add(new Event(topic.name(), key, value));
  }

  private void build() {
    add(
        Topics.ACTION_TRACKED,
        userId,
        ActionTracked.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(0))
            .setCorrelationId("req-1")
            .setUserId(userId)
            .setActionCode(action)
            .setIdempotencyKey(idempotencyKey)
            .setIpAddress("203.0.113.7")
            .setUserAgent("<script>alert(1)</script>")
            .setIsEnrolled(true)
            .setPhoneCountryCode("GB")
            .build());
    add(
        Topics.ACTION_DECIDED,
        userId,
        ActionDecided.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(5))
            .setCorrelationId("req-1")
            .setUserId(userId)
            .setActionCode(action)
            .setIdempotencyKey(idempotencyKey)
            .setDecision(ActionDecision.CHALLENGE)
            .setRuleIds(List.of("rul_new_device"))
            .setRules(
                List.of(
                    MatchedRule.newBuilder()
                        .setRuleId("rul_new_device")
                        .setName("New device")
                        .build()))
            .setRequestEventId("tracked")
            .build());
    add(
        Topics.ACTION_STATE_CHANGED,
        userId,
        ActionStateChanged.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(6))
            .setCorrelationId("req-1")
            .setUserId(userId)
            .setActionCode(action)
            .setIdempotencyKey(idempotencyKey)
            .setState(ActionState.CHALLENGE_REQUIRED)
            .setCause(StateChangeCause.DECISION)
            .setRuleIds(List.of("rul_new_device"))
            .build());
    add(
        Topics.CHALLENGE_REQUESTED,
        challengeId,
        ChallengeRequested.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(10))
            .setCorrelationId("req-2")
            .setChallengeId(challengeId)
            .setAttempt(1)
            .setPhoneNumber(PHONE)
            .setChannel(SmsChannel.SMS)
            .setAction(action)
            .setUserId(userId)
            .setExpiresAt(at(600_000))
            .setSealedCode(ByteBuffer.wrap(CODE_SECRET.getBytes()))
            .setSealKeyId("k1")
            .setIdempotencyKey(idempotencyKey)
            .setPurpose(ChallengePurpose.ACTION)
            .setCountryCode("GB")
            .setPhoneNumberMasked(MASKED)
            .build());
    add(
        Topics.SMS_DISPATCHED,
        challengeId,
        SmsDispatched.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(60))
            .setCorrelationId("req-2")
            .setChallengeId(challengeId)
            .setAttempt(1)
            .setUserId(userId)
            .setAction(action)
            .setChannel(dev.signet.events.sms.SmsChannel.SMS)
            .setPhoneNumberMasked(MASKED)
            .setCountryCode("GB")
            .setProvider("vonage")
            .setProviderMessageId("msg-1")
            .setProviderMessageIds(List.of("msg-1"))
            .setSegments(1)
            .setEncoding(SmsEncoding.GSM7)
            .setLocale("en")
            .setProviderAttempts(1)
            .setProviderLatencyMillis(40)
            .setRequestedToDispatchedMillis(50)
            .build());
    add(
        Topics.SMS_DELIVERY_REPORTED,
        challengeId,
        receipt(DeliveryStatus.ACCEPTED, false, 100, null));
    add(
        Topics.SMS_DELIVERY_REPORTED,
        challengeId,
        receipt(DeliveryStatus.DELIVERED, true, 1460, 1400L));
    add(
        Topics.CHALLENGE_VERIFICATION_FAILED,
        challengeId,
        ChallengeVerificationFailed.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(5000))
            .setCorrelationId("req-3")
            .setChallengeId(challengeId)
            .setUserId(userId)
            .setAction(action)
            .setIdempotencyKey(idempotencyKey)
            .setVerificationMethod(VerificationMethod.SMS)
            .setPurpose(ChallengePurpose.ACTION)
            .setPhoneNumberMasked(MASKED)
            .setCountryCode("GB")
            .setReason(VerificationFailureReason.CODE_INVALID_OR_EXPIRED)
            .setFailedAttempts(1)
            .setMaxAttempts(5)
            .setConsecutiveFailures(1)
            .setSendCount(1)
            .build());
    add(
        Topics.CHALLENGE_VERIFIED,
        challengeId,
        ChallengeVerified.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(8000))
            .setCorrelationId("req-4")
            .setChallengeId(challengeId)
            .setUserId(userId)
            .setAction(action)
            .setIdempotencyKey(idempotencyKey)
            .setVerificationMethod(VerificationMethod.SMS)
            .setPurpose(ChallengePurpose.ACTION)
            .setPhoneNumberMasked(MASKED)
            .setCountryCode("GB")
            .setSendCount(1)
            .setFailedAttempts(1)
            .build());
    add(
        Topics.ACTION_STATE_CHANGED,
        userId,
        ActionStateChanged.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(8010))
            .setCorrelationId("req-4")
            .setUserId(userId)
            .setActionCode(action)
            .setIdempotencyKey(idempotencyKey)
            .setState(ActionState.CHALLENGE_SUCCEEDED)
            .setPreviousState(ActionState.CHALLENGE_REQUIRED)
            .setCause(StateChangeCause.CHALLENGE_VERIFIED)
            .setChallengeId(challengeId)
            .setVerificationMethod("SMS")
            .build());
    add(
        Topics.AUTHENTICATOR_ENROLLED,
        userId,
        AuthenticatorEnrolled.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(8020))
            .setCorrelationId("req-4")
            .setUserId(userId)
            .setUserAuthenticatorId("uat-" + challengeId)
            .setVerificationMethod(dev.signet.events.authenticator.VerificationMethod.SMS)
            .setPhoneNumberMasked(MASKED)
            .setCountryCode("GB")
            .setChallengeId(challengeId)
            .build());
    add(
        Topics.CHALLENGE_EXPIRED,
        challengeId,
        ChallengeExpired.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(600_000))
            .setCorrelationId("sweep")
            .setChallengeId(challengeId)
            .setUserId(userId)
            .setAction(action)
            .setIdempotencyKey(idempotencyKey)
            .setVerificationMethod(VerificationMethod.SMS)
            .setPurpose(ChallengePurpose.ACTION)
            .setPhoneNumberMasked(MASKED)
            .setCountryCode("GB")
            .setExpiresAt(at(600_000))
            .setVerified(true)
            .setSendCount(1)
            .setFailedAttempts(1)
            .build());
    add(
        Topics.CHALLENGE_REQUESTED,
        blockedChallengeId,
        ChallengeRequested.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(20))
            .setCorrelationId("req-5")
            .setChallengeId(blockedChallengeId)
            .setAttempt(1)
            .setPhoneNumber(PHONE)
            .setChannel(SmsChannel.SMS)
            .setAction(action)
            .setUserId(userId)
            .setExpiresAt(at(600_000))
            .setSealedCode(ByteBuffer.wrap(CODE_SECRET.getBytes()))
            .setSealKeyId("k1")
            .setPurpose(ChallengePurpose.SIGN_IN)
            .setCountryCode("GB")
            .setPhoneNumberMasked(MASKED)
            .build());
    add(
        Topics.SMS_BLOCKED,
        blockedChallengeId,
        SmsBlocked.newBuilder()
            .setEventId(id())
            .setOccurredAt(at(30))
            .setCorrelationId("req-5")
            .setChallengeId(blockedChallengeId)
            .setAttempt(1)
            .setUserId(userId)
            .setAction(action)
            .setChannel(dev.signet.events.sms.SmsChannel.SMS)
            .setPhoneNumberMasked(MASKED)
            .setCountryCode("GB")
            .setReason(SmsBlockReason.NUMBER_VELOCITY)
            .setLimit(5L)
            .setObserved(6L)
            .build());
  }

  private SmsDeliveryReported receipt(
      DeliveryStatus status, boolean fin, long atMillis, Long sendToReceipt) {
    return SmsDeliveryReported.newBuilder()
        .setEventId(id())
        .setOccurredAt(at(atMillis))
        .setCorrelationId("dlr")
        .setChallengeId(challengeId)
        .setAttempt(1)
        .setUserId(userId)
        .setProviderMessageId("msg-1")
        .setStatus(status)
        .setFinalStatus(fin)
        .setPhoneNumberMasked(MASKED)
        .setCountryCode("GB")
        .setDispatchedAt(at(60))
        .setProviderReportedAt(at(atMillis))
        .setSendToReceiptMillis(sendToReceipt)
        .setChannel(dev.signet.events.sms.SmsChannel.SMS)
        .build();
  }
}
