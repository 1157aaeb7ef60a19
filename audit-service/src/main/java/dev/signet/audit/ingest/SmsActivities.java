package dev.signet.audit.ingest;

import static dev.signet.audit.ingest.ActivityBuilder.b;
import static dev.signet.audit.ingest.ActivityBuilder.join;

import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsFailureReason;

/**
 * The activities of SMS sending: dispatched, failed, delivery receipts, blocks and the send policy.
 */
final class SmsActivities {

  /**
   * The activity of {@code event}, to be built, or null when it is not one of this family's events.
   */
  ActivityBuilder normalise(String topic, Object event, String fallback) {
    if (event instanceof SmsDispatched e) {
      return dispatched(topic, e, fallback);
    }
    if (event instanceof SmsDispatchFailed e) {
      return dispatchFailed(topic, e, fallback);
    }
    if (event instanceof SmsDeliveryReported e) {
      return deliveryReported(topic, e, fallback);
    }
    if (event instanceof SmsBlocked e) {
      return blocked(topic, e, fallback);
    }
    if (event instanceof SendPolicyUpdated e) {
      return policy(topic, e, fallback);
    }
    return null;
  }

  private ActivityBuilder dispatched(String topic, SmsDispatched e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DISPATCHED)
        .category(ActivityCategory.SMS)
        .outcome(ActivityOutcome.SUCCESS)
        .summary(
            (e.getFallback() > 0
                    ? "Fallback: the same code was handed once more to "
                    : "The SMS was handed to ")
                + e.getProvider()
                + " ("
                + e.getSegments()
                + " segment"
                + (e.getSegments() == 1 ? "" : "s")
                + (e.getFallback() > 0 ? "; " + e.getFallbackReason() : "")
                + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .test(e.getTestNumber())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("provider", e.getProvider())
        .attr("providerMessageId", e.getProviderMessageId())
        .attr("segments", e.getSegments())
        .attr("encoding", e.getEncoding())
        .attr("price", e.getPrice())
        .attr("currency", e.getCurrency())
        .attr("networkCode", e.getNetworkCode())
        .attr("locale", e.getLocale())
        .attr("providerAttempts", e.getProviderAttempts())
        .attr("providerLatencyMillis", e.getProviderLatencyMillis())
        .attr("requestedToDispatchedMillis", e.getRequestedToDispatchedMillis())
        .attr("route", e.getRoute())
        .attr("routeFailures", joined(e.getRouteFailures()))
        // A fallback is a second message of the same attempt: marked so views keep both sends.
        .attr("fallback", e.getFallback() > 0 ? e.getFallback() : null)
        .attr("fallbackReason", e.getFallbackReason());
  }

  private ActivityBuilder dispatchFailed(String topic, SmsDispatchFailed e, String fallback) {
    if (e.getFallback() > 0) {
      return fallbackNotSent(topic, e, fallback);
    }
    // A forged or altered requested event: refused, nothing sent; a security event, not a
    // delivery problem, and its challenge, user and number are only what the forger claimed.
    boolean tampered = e.getReason() == SmsFailureReason.TAMPERED;
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DISPATCH_FAILED)
        .category(ActivityCategory.SMS)
        .outcome(tampered ? ActivityOutcome.BLOCKED : ActivityOutcome.FAILURE)
        .severity(tampered ? ActivitySeverity.CRITICAL : ActivitySeverity.WARNING)
        .summary(
            tampered
                ? "A tampered code request was refused: its sealed code does not open for the"
                    + " number, attempt, channel or expiry it names. Nothing was sent."
                : "The SMS could not be sent (" + e.getReason() + ").")
        .attr("tampered", tampered ? "true" : null)
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("reason", e.getReason())
        .attr("retryable", e.getRetryable())
        .attr("providerAttempts", e.getProviderAttempts())
        .attr("providerStatus", e.getProviderStatus())
        .attr("provider", e.getProvider())
        .attr("route", e.getRoute())
        .attr("routeFailures", joined(e.getRouteFailures()));
  }

  /**
   * A delivery-confirmed fallback of a sent attempt that did not go out (the code expired, every
   * route refused or timed out), or an attempt out of fallbacks with its code undelivered ({@code
   * FALLBACKS_EXHAUSTED}): the attempt stays sent, so this is marked {@code fallback} like a
   * fallback dispatch, and its reason says why.
   */
  private ActivityBuilder fallbackNotSent(String topic, SmsDispatchFailed e, String fallback) {
    boolean exhausted = e.getReason() == SmsFailureReason.FALLBACKS_EXHAUSTED;
    int sent = e.getFallback() - 1;
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DISPATCH_FAILED)
        .category(ActivityCategory.SMS)
        .outcome(ActivityOutcome.FAILURE)
        .severity(ActivitySeverity.WARNING)
        .summary(
            (exhausted
                    ? "No fallback left: the code was still not delivered after "
                        + sent
                        + " fallback"
                        + (sent == 1 ? "" : "s")
                    : "Fallback not sent: the same code could not be handed once more ("
                        + e.getReason()
                        + ")")
                + "; it was due for "
                + e.getFallbackReason()
                + ".")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("reason", e.getReason())
        .attr("fallback", e.getFallback())
        .attr("fallbackReason", e.getFallbackReason())
        .attr("detail", e.getDetail())
        .attr("providerAttempts", e.getProviderAttempts())
        .attr("providerStatus", e.getProviderStatus())
        .attr("provider", e.getProvider().isEmpty() ? null : e.getProvider())
        .attr("route", e.getRoute())
        .attr("routeFailures", joined(e.getRouteFailures()));
  }

  /**
   * The failed calls before the outcome ({@code vonage-sms:PROVIDER_ERROR, ...}): why the send
   * failed over; null when the first route took it.
   */
  private static String joined(java.util.List<? extends CharSequence> failures) {
    return failures == null || failures.isEmpty() ? null : String.join(", ", failures);
  }

  private ActivityBuilder deliveryReported(String topic, SmsDeliveryReported e, String fallback) {
    DeliveryStatus status = e.getStatus();
    ActivityOutcome outcome =
        switch (status) {
          case DELIVERED -> ActivityOutcome.SUCCESS;
          case FAILED, EXPIRED, REJECTED -> ActivityOutcome.FAILURE;
          case ACCEPTED, BUFFERED -> ActivityOutcome.PENDING;
          default -> ActivityOutcome.INFO;
        };
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_DELIVERY_REPORTED)
        .category(ActivityCategory.SMS)
        .outcome(outcome)
        .severity(
            outcome == ActivityOutcome.FAILURE ? ActivitySeverity.WARNING : ActivitySeverity.INFO)
        .summary(
            "The network reported "
                + status
                + (e.getSendToReceiptMillis() == null
                    ? "."
                    : " " + e.getSendToReceiptMillis() + " ms after sending."))
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), null, null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("status", status)
        .attr("finalStatus", e.getFinalStatus())
        .attr("errorCode", e.getErrorCode())
        .attr("networkCode", e.getNetworkCode())
        .attr("price", e.getPrice())
        .attr("currency", e.getCurrency())
        .attr("providerMessageId", e.getProviderMessageId())
        .attr("dispatchedAt", e.getDispatchedAt())
        .attr("providerReportedAt", e.getProviderReportedAt())
        .attr("sendToReceiptMillis", e.getSendToReceiptMillis())
        .attr("channel", e.getChannel());
  }

  private ActivityBuilder blocked(String topic, SmsBlocked e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.SMS_BLOCKED)
        .category(ActivityCategory.SMS)
        .outcome(e.getShadow() ? ActivityOutcome.INFO : ActivityOutcome.BLOCKED)
        .severity(ActivitySeverity.WARNING)
        .summary(
            (e.getShadow()
                    ? "The send policy would have blocked the SMS (shadow mode): "
                    : "The send policy blocked the SMS: ")
                + e.getReason()
                + ".")
        .common(e.getOccurredAt(), e.getCorrelationId(), e.getUserId())
        .challenge(e.getChallengeId(), e.getAction(), null)
        .phone(e.getPhoneNumberMasked(), null, e.getCountryCode())
        .attr("attempt", e.getAttempt())
        .attr("channel", e.getChannel())
        .attr("reason", e.getReason())
        .attr("shadow", e.getShadow())
        .attr("limit", e.getLimit())
        .attr("observed", e.getObserved())
        .attr("windowSeconds", e.getWindowSeconds())
        .attr("policyVersion", e.getPolicyVersion());
  }

  private ActivityBuilder policy(String topic, SendPolicyUpdated e, String fallback) {
    return b(topic, e.getEventId(), fallback, ActivityTypes.POLICY_SEND_POLICY_UPDATED)
        .category(ActivityCategory.POLICY)
        .outcome(ActivityOutcome.INFO)
        .severity(ActivitySeverity.NOTICE)
        .summary("The SMS send policy changed (version " + e.getVersion() + ").")
        .common(e.getOccurredAt(), e.getCorrelationId(), null)
        .attr("policyId", e.getPolicyId())
        .attr("version", e.getVersion())
        .attr("shadowMode", e.getShadowMode())
        .attr("allowedCountries", join(e.getAllowedCountries()))
        .attr("updatedBy", e.getUpdatedBy());
  }
}
