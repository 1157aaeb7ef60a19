package dev.signet.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.audit.activity.ActivityTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptJoinTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void aFallbackShowsBesideTheFirstSendWhichKeepsItsOwnRouteAndTime() {
    List<Step> steps =
        List.of(
            step(ActivityTypes.CHALLENGE_REQUESTED, 0, Map.of("attempt", "1")),
            step(
                ActivityTypes.SMS_DISPATCHED,
                100,
                Map.of("attempt", "1", "provider", "vonage", "route", "vonage-sms")),
            step(
                ActivityTypes.SMS_DISPATCHED,
                30_100,
                Map.of(
                    "attempt",
                    "1",
                    "provider",
                    "twilio",
                    "route",
                    "twilio-messaging",
                    "fallback",
                    "1",
                    "fallbackReason",
                    "NO_DELIVERY_IN_WINDOW")),
            step(
                ActivityTypes.SMS_DELIVERY_REPORTED,
                32_000,
                Map.of("attempt", "1", "status", "DELIVERED", "sendToReceiptMillis", "1900")));

    Attempt attempt = AttemptJoin.of(steps).get(0);

    assertThat(attempt.route()).isEqualTo("vonage-sms");
    assertThat(attempt.provider()).isEqualTo("vonage");
    assertThat(attempt.dispatchedAt()).isEqualTo(T0.plusMillis(100));
    assertThat(attempt.fallbackRoute()).isEqualTo("twilio-messaging");
    assertThat(attempt.fallbackReason()).isEqualTo("NO_DELIVERY_IN_WINDOW");
    assertThat(attempt.deliveryStatus()).isEqualTo("DELIVERED");
  }

  @Test
  void anAttemptWithoutAFallbackSaysSo() {
    Attempt attempt =
        AttemptJoin.of(
                List.of(
                    step(
                        ActivityTypes.SMS_DISPATCHED,
                        100,
                        Map.of("attempt", "1", "route", "vonage-sms"))))
            .get(0);

    assertThat(attempt.route()).isEqualTo("vonage-sms");
    assertThat(attempt.fallbackRoute()).isNull();
    assertThat(attempt.fallbackReason()).isNull();
    assertThat(attempt.fallbackNotSent()).isNull();
    assertThat(attempt.deliveryStatus()).isEqualTo("SENT");
  }

  @Test
  void aFallbackThatWasNotSentShowsBesideTheSendWhoseOutcomeStands() {
    List<Step> steps =
        List.of(
            step(
                ActivityTypes.SMS_DISPATCHED,
                100,
                Map.of("attempt", "1", "provider", "vonage", "route", "vonage-sms")),
            step(
                ActivityTypes.SMS_DELIVERY_REPORTED,
                2_000,
                Map.of("attempt", "1", "status", "FAILED")),
            step(
                ActivityTypes.SMS_DISPATCH_FAILED,
                2_500,
                Map.of(
                    "attempt",
                    "1",
                    "reason",
                    "CIRCUIT_OPEN",
                    "route",
                    "twilio-messaging",
                    "routeFailures",
                    "twilio-messaging:CIRCUIT_OPEN",
                    "fallback",
                    "1",
                    "fallbackReason",
                    "DELIVERY_FAILED")));

    Attempt attempt = AttemptJoin.of(steps).get(0);

    assertThat(attempt.fallbackNotSent()).isEqualTo("CIRCUIT_OPEN");
    assertThat(attempt.fallbackReason()).isEqualTo("DELIVERY_FAILED");
    assertThat(attempt.fallbackRoute()).isNull();
    // The send itself went out on its own route; only its receipt failed.
    assertThat(attempt.failureReason()).isNull();
    assertThat(attempt.route()).isEqualTo("vonage-sms");
    assertThat(attempt.routeFailures()).isNull();
    assertThat(attempt.deliveryStatus()).isEqualTo("FAILED");
  }

  @Test
  void anAttemptOutOfFallbacksShowsItsFallbackAndThatNoneIsLeft() {
    Attempt attempt =
        AttemptJoin.of(
                List.of(
                    step(
                        ActivityTypes.SMS_DISPATCHED,
                        100,
                        Map.of("attempt", "1", "route", "vonage-sms")),
                    step(
                        ActivityTypes.SMS_DISPATCHED,
                        30_100,
                        Map.of(
                            "attempt",
                            "1",
                            "route",
                            "twilio-messaging",
                            "fallback",
                            "1",
                            "fallbackReason",
                            "NO_DELIVERY_IN_WINDOW")),
                    step(
                        ActivityTypes.SMS_DISPATCH_FAILED,
                        60_100,
                        Map.of(
                            "attempt",
                            "1",
                            "reason",
                            "FALLBACKS_EXHAUSTED",
                            "route",
                            "twilio-messaging",
                            "fallback",
                            "2",
                            "fallbackReason",
                            "NO_DELIVERY_IN_WINDOW"))))
            .get(0);

    assertThat(attempt.fallbackRoute()).isEqualTo("twilio-messaging");
    assertThat(attempt.fallbackNotSent()).isEqualTo("FALLBACKS_EXHAUSTED");
    assertThat(attempt.failureReason()).isNull();
    assertThat(attempt.deliveryStatus()).isEqualTo("SENT");
  }

  private static Step step(String type, long atMillis, Map<String, String> attributes) {
    return new Step(type, T0.plusMillis(atMillis), null, null, type + atMillis, attributes);
  }
}
