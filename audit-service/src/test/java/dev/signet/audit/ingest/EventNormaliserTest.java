package dev.signet.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityIds;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.SendRefusalReason;
import dev.signet.events.sms.SmsBlockReason;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsEncoding;
import dev.signet.events.sms.SmsFailureReason;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBuilderBase;
import org.junit.jupiter.api.Test;

class EventNormaliserTest {

  private final PhoneHasher phones =
      new PhoneHasher("a-test-key-of-enough-bytes".getBytes(StandardCharsets.UTF_8));
  private final EventNormaliser normaliser = new EventNormaliser(phones);

  @Test
  void everyConsumedTopicMapsToADistinctStableActivityType() throws Exception {
    Set<String> types = new HashSet<>();
    for (Topics.Topic topic : Topics.all()) {
      if (!topic.consumers().contains("audit-service") || topic == Topics.AUDIT_ACTIVITY) {
        continue;
      }
      Method newBuilder = topic.valueType().getMethod("newBuilder");
      Object builder = newBuilder.invoke(null);
      Object event = builder.getClass().getMethod("build").invoke(builder);
      assertThat(builder).isInstanceOf(SpecificRecordBuilderBase.class);

      Activity activity = normaliser.normalise(topic.name(), event, "kafka:x:0:1");

      assertThat(ActivityTypes.ALL).contains(activity.type());
      assertThat(types.add(activity.type())).as(topic.name()).isTrue();
      assertThat(activity.sourceTopic()).isEqualTo(topic.name());
      assertThat(activity.summary()).isNotBlank();
      // an empty event id falls back to the record's position, so the id is still stable
      assertThat(activity.sourceEventId()).isEqualTo("kafka:x:0:1");
      assertThat(activity.activityId())
          .isEqualTo(ActivityIds.activityId(topic.name(), "kafka:x:0:1"));
    }
    assertThat(types).hasSize(ActivityTypes.ALL.size());
  }

  @Test
  void everyActivityIsInTheTraceItsEventWasPublishedInAndInNoneWithoutOne() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    for (Topics.Topic topic : Topics.all()) {
      if (!topic.consumers().contains("audit-service") || topic == Topics.AUDIT_ACTIVITY) {
        continue;
      }
      Object builder = topic.valueType().getMethod("newBuilder").invoke(null);
      Object event = builder.getClass().getMethod("build").invoke(builder);

      assertThat(normaliser.normalise(topic.name(), event, "kafka:x:0:1", traceId).traceId())
          .as(topic.name())
          .isEqualTo(traceId);
      assertThat(normaliser.normalise(topic.name(), event, "kafka:x:0:1").traceId())
          .as(topic.name())
          .isNull();
    }
  }

  @Test
  void aRequestedChallengeKeepsOnlyTheMaskedNumberAndAKeyedHashNeverTheCode() {
    ChallengeRequested requested =
        ChallengeRequested.newBuilder()
            .setEventId("evt-1")
            .setOccurredAt(Instant.parse("2026-11-25T10:00:00Z"))
            .setChallengeId("chl-1")
            .setAttempt(2)
            .setPhoneNumber("+447700900123")
            .setPhoneNumberMasked("+44******0123")
            .setCountryCode("GB")
            .setAction("signIn")
            .setSealedCode(ByteBuffer.wrap("SEALED-123456".getBytes(StandardCharsets.UTF_8)))
            .setSealKeyId("k1")
            .setExpiresAt(Instant.parse("2026-11-25T10:10:00Z"))
            .build();

    Activity activity = normaliser.normalise(Topics.CHALLENGE_REQUESTED.name(), requested, "x");

    assertThat(activity.type()).isEqualTo("challenge.requested");
    assertThat(activity.phoneNumberMasked()).isEqualTo("+44******0123");
    assertThat(activity.phoneHash()).isEqualTo(phones.hash("+447700900123"));
    assertThat(activity.attribute("attempt")).isEqualTo("2");
    assertThat(activity.toString())
        .doesNotContain("+447700900123")
        .doesNotContain("7700900123")
        .doesNotContain("SEALED")
        .doesNotContain("k1");
    assertThat(activity.activityId())
        .isEqualTo(
            normaliser.normalise(Topics.CHALLENGE_REQUESTED.name(), requested, "y").activityId());
  }

  @Test
  void aTamperedRequestIsACriticalRefusalAndOtherFailuresStayWarnings() {
    SmsDispatchFailed.Builder failed =
        SmsDispatchFailed.newBuilder()
            .setEventId("f1")
            .setChallengeId("chl-1")
            .setAttempt(9)
            .setPhoneNumberMasked("+44******6666")
            .setReason(SmsFailureReason.TAMPERED);

    Activity tampered =
        normaliser.normalise(Topics.SMS_DISPATCH_FAILED.name(), failed.build(), "x");
    Activity expired =
        normaliser.normalise(
            Topics.SMS_DISPATCH_FAILED.name(),
            failed.setReason(SmsFailureReason.CHALLENGE_EXPIRED).build(),
            "x");

    assertThat(tampered.severity()).isEqualTo(ActivitySeverity.CRITICAL);
    assertThat(tampered.outcome()).isEqualTo(ActivityOutcome.BLOCKED);
    assertThat(tampered.attribute("tampered")).isEqualTo("true");
    assertThat(tampered.attribute("reason")).isEqualTo("TAMPERED");
    assertThat(tampered.summary()).contains("tampered").contains("Nothing was sent");
    assertThat(expired.severity()).isEqualTo(ActivitySeverity.WARNING);
    assertThat(expired.outcome()).isEqualTo(ActivityOutcome.FAILURE);
    assertThat(expired.attribute("tampered")).isNull();
  }

  @Test
  void aFallbackDispatchIsMarkedWithItsNumberAndReasonAndAFirstSendIsNot() {
    SmsDispatched.Builder dispatched =
        SmsDispatched.newBuilder()
            .setEventId("d1")
            .setChallengeId("chl-1")
            .setAttempt(1)
            .setPhoneNumberMasked("+44******6666")
            .setProvider("vonage")
            .setProviderMessageId("m1")
            .setSegments(1)
            .setEncoding(SmsEncoding.GSM7)
            .setRoute("vonage-sms");

    Activity first = normaliser.normalise(Topics.SMS_DISPATCHED.name(), dispatched.build(), "x");
    Activity fallback =
        normaliser.normalise(
            Topics.SMS_DISPATCHED.name(),
            dispatched
                .setEventId("d2")
                .setProvider("twilio")
                .setProviderMessageId("SM1")
                .setRoute("twilio-messaging")
                .setFallback(1)
                .setFallbackReason("DELIVERY_FAILED")
                .build(),
            "x");

    assertThat(first.attribute("fallback")).isNull();
    assertThat(first.attribute("fallbackReason")).isNull();
    assertThat(first.summary()).startsWith("The SMS was handed to vonage");
    assertThat(fallback.attribute("fallback")).isEqualTo("1");
    assertThat(fallback.attribute("fallbackReason")).isEqualTo("DELIVERY_FAILED");
    assertThat(fallback.attribute("route")).isEqualTo("twilio-messaging");
    assertThat(fallback.summary())
        .startsWith("Fallback: the same code was handed once more to twilio")
        .contains("DELIVERY_FAILED");
  }

  @Test
  void aFallbackThatCouldNotBeSentIsAFailureOfTheChallengeWithItsNumberAndBothReasons() {
    SmsDispatchFailed.Builder notSent =
        SmsDispatchFailed.newBuilder()
            .setEventId("f1")
            .setChallengeId("chl-1")
            .setAttempt(1)
            .setPhoneNumberMasked("+44******6666")
            .setReason(SmsFailureReason.CIRCUIT_OPEN)
            .setRetryable(true)
            .setProviderAttempts(1)
            .setProvider("twilio")
            .setRoute("twilio-messaging")
            .setRouteFailures(java.util.List.of("twilio-messaging:CIRCUIT_OPEN"))
            .setDetail("CIRCUIT_OPEN on twilio-messaging: circuit open")
            .setFallback(1)
            .setFallbackReason("DELIVERY_FAILED");

    Activity refused =
        normaliser.normalise(Topics.SMS_DISPATCH_FAILED.name(), notSent.build(), "x");
    Activity exhausted =
        normaliser.normalise(
            Topics.SMS_DISPATCH_FAILED.name(),
            notSent
                .setEventId("f2")
                .setReason(SmsFailureReason.FALLBACKS_EXHAUSTED)
                .setFallback(2)
                .setFallbackReason("NO_DELIVERY_IN_WINDOW")
                .setProviderAttempts(0)
                .setProvider("")
                .setRouteFailures(java.util.List.of())
                .build(),
            "x");

    assertThat(refused.type()).isEqualTo(ActivityTypes.SMS_DISPATCH_FAILED);
    assertThat(refused.challengeId()).isEqualTo("chl-1");
    assertThat(refused.outcome()).isEqualTo(ActivityOutcome.FAILURE);
    assertThat(refused.severity()).isEqualTo(ActivitySeverity.WARNING);
    assertThat(refused.attribute("fallback")).isEqualTo("1");
    assertThat(refused.attribute("reason")).isEqualTo("CIRCUIT_OPEN");
    assertThat(refused.attribute("fallbackReason")).isEqualTo("DELIVERY_FAILED");
    assertThat(refused.attribute("detail")).contains("circuit open");
    assertThat(refused.summary())
        .startsWith("Fallback not sent")
        .contains("CIRCUIT_OPEN")
        .contains("DELIVERY_FAILED");
    assertThat(exhausted.attribute("fallback")).isEqualTo("2");
    assertThat(exhausted.attribute("reason")).isEqualTo("FALLBACKS_EXHAUSTED");
    assertThat(exhausted.attribute("provider")).isNull();
    assertThat(exhausted.summary())
        .isEqualTo(
            "No fallback left: the code was still not delivered after 1 fallback; it was due for"
                + " NO_DELIVERY_IN_WINDOW.");
  }

  @Test
  void aShadowBlockIsInformationAndAnEnforcedOneIsABlockedWarning() {
    SmsBlocked.Builder blocked =
        SmsBlocked.newBuilder()
            .setEventId("b1")
            .setChallengeId("chl-1")
            .setReason(SmsBlockReason.PREFIX_VELOCITY);
    Activity enforced = normaliser.normalise(Topics.SMS_BLOCKED.name(), blocked.build(), "x");
    Activity shadow =
        normaliser.normalise(Topics.SMS_BLOCKED.name(), blocked.setShadow(true).build(), "x");

    assertThat(enforced.outcome()).isEqualTo(ActivityOutcome.BLOCKED);
    assertThat(enforced.severity()).isEqualTo(ActivitySeverity.WARNING);
    assertThat(enforced.attribute("reason")).isEqualTo("PREFIX_VELOCITY");
    assertThat(shadow.outcome()).isEqualTo(ActivityOutcome.INFO);
    assertThat(shadow.summary()).contains("shadow mode");
  }

  @Test
  void everyRequestTimeGuardShowsAsABlockedSendWithItsOwnReason() {
    Set<String> reasons = new HashSet<>();
    for (SendRefusalReason reason : SendRefusalReason.values()) {
      ChallengeSendRefused refused =
          ChallengeSendRefused.newBuilder()
              .setEventId("r-" + reason)
              .setOccurredAt(Instant.parse("2026-12-06T22:00:00Z"))
              .setUserId("user-1")
              .setAction("signUp")
              .setPhoneNumberMasked("+44******0001")
              .setCountryCode("GB")
              .setReason(reason)
              .setError("too_many_requests")
              .setRetryAfterSeconds(1200L)
              .setLimit(3L)
              .setWindowSeconds(3600)
              .build();
      Activity activity = normaliser.normalise(Topics.CHALLENGE_SEND_REFUSED.name(), refused, "x");

      assertThat(activity.type()).isEqualTo("challenge.send-refused");
      assertThat(activity.outcome()).isEqualTo(ActivityOutcome.BLOCKED);
      assertThat(activity.severity()).isEqualTo(ActivitySeverity.WARNING);
      assertThat(activity.userId()).isEqualTo("user-1");
      assertThat(activity.challengeId()).isNull();
      assertThat(activity.summary()).contains("refused before sending").contains(reason.name());
      assertThat(activity.attribute("limit")).isEqualTo("3");
      assertThat(activity.attribute("windowSeconds")).isEqualTo("3600");
      assertThat(activity.attribute("error")).isEqualTo("too_many_requests");
      reasons.add(activity.attribute("reason"));
    }
    assertThat(reasons).hasSize(SendRefusalReason.values().length);

    Activity resend =
        normaliser.normalise(
            Topics.CHALLENGE_SEND_REFUSED.name(),
            ChallengeSendRefused.newBuilder()
                .setEventId("r-resend")
                .setChallengeId("chl-1")
                .setAttempt(2)
                .setReason(SendRefusalReason.IP_VELOCITY)
                .setIpAddressKey("2001:db8:1:2::/64")
                .build(),
            "x");
    assertThat(resend.challengeId()).isEqualTo("chl-1");
    assertThat(resend.attribute("attempt")).isEqualTo("2");
    assertThat(resend.attribute("ipAddressKey")).isEqualTo("2001:db8:1:2::/64");
  }

  @Test
  void aReusedRefreshTokenIsACriticalEventOnTheUsersTimeline() {
    var reuse =
        dev.signet.events.session.SessionReuseDetected.newBuilder()
            .setEventId("e-1")
            .setOccurredAt(java.time.Instant.parse("2026-12-01T10:00:00Z"))
            .setUserId("user-1")
            .setSessionId("s-1")
            .setClientId("web-app")
            .setReusedGeneration(0)
            .setCurrentGeneration(1)
            .build();
    var revoked =
        dev.signet.events.session.SessionRevoked.newBuilder()
            .setEventId("e-2")
            .setUserId("user-1")
            .setSessionId("s-1")
            .setClientId("web-app")
            .setReason(dev.signet.events.session.SessionRevocationReason.REFRESH_TOKEN_REUSED)
            .build();

    Activity detected = normaliser.normalise(Topics.SESSION_REUSE_DETECTED.name(), reuse, "x");
    Activity ended = normaliser.normalise(Topics.SESSION_REVOKED.name(), revoked, "y");

    assertThat(detected.type()).isEqualTo("session.reuse-detected");
    assertThat(detected.userId()).isEqualTo("user-1");
    assertThat(detected.severity()).isEqualTo(ActivitySeverity.CRITICAL);
    assertThat(detected.attributes())
        .containsEntry("sessionId", "s-1")
        .containsEntry("reusedGeneration", "0")
        .containsEntry("currentGeneration", "1");
    assertThat(ended.type()).isEqualTo("session.revoked");
    assertThat(ended.attributes()).containsEntry("reason", "REFRESH_TOKEN_REUSED");
    assertThat(ended.summary()).contains("spent refresh token");
  }
}
