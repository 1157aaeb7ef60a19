package dev.signet.sms.dispatch;

import dev.signet.events.Topics;
import dev.signet.events.sms.SmsBlockReason;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsChannel;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsEncoding;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.guard.SendGuard;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Builds the dispatched and dispatch-failed events of an attempt, wrapped for its outbox. */
@Component
class DispatchEvents {

  private final Outbox outbox;

  DispatchEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  OutboxEvent dispatched(
      AttemptFacts facts,
      ProviderOutcome.Accepted accepted,
      boolean unicode,
      ProviderCalls.Attempted attempted,
      Instant dispatchedAt,
      boolean testNumber) {
    return dispatched(facts, accepted, unicode, attempted, dispatchedAt, testNumber, 0, null);
  }

  /**
   * The dispatched event of a message; {@code fallback} (1, 2, ...) and {@code fallbackReason} for
   * a fallback of the attempt, 0 and null for its first message.
   */
  OutboxEvent dispatched(
      AttemptFacts facts,
      ProviderOutcome.Accepted accepted,
      boolean unicode,
      ProviderCalls.Attempted attempted,
      Instant dispatchedAt,
      boolean testNumber,
      int fallback,
      String fallbackReason) {
    String eventId = UUID.randomUUID().toString();
    SmsDispatched event =
        SmsDispatched.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(dispatchedAt)
            .setCorrelationId(facts.correlationId())
            .setChallengeId(facts.challengeId())
            .setAttempt(facts.attempt())
            .setUserId(facts.userId())
            .setAction(facts.action())
            .setChannel(channel(facts.channel()))
            .setPhoneNumberMasked(facts.phoneNumberMasked())
            .setCountryCode(facts.countryCode())
            .setProvider(testNumber ? "test" : provider(attempted.route()))
            .setRoute(testNumber ? null : attempted.route())
            .setRouteFailures(attempted.routeFailures())
            .setProviderMessageId(accepted.messageId())
            .setProviderMessageIds(accepted.messageIds())
            .setSegments(accepted.segments())
            .setEncoding(
                "WHATSAPP".equals(facts.channel())
                    ? SmsEncoding.TEXT
                    : unicode ? SmsEncoding.UCS2 : SmsEncoding.GSM7)
            .setPrice(accepted.price() == null ? null : accepted.price().toPlainString())
            .setCurrency(accepted.price() == null ? null : "EUR")
            .setNetworkCode(accepted.networkCode())
            .setLocale(facts.locale())
            .setProviderAttempts(attempted.providerAttempts())
            .setProviderLatencyMillis(accepted.latencyMillis())
            .setRequestedToDispatchedMillis(
                Math.max(0, dispatchedAt.toEpochMilli() - facts.requestedAt().toEpochMilli()))
            .setTestNumber(testNumber)
            .setFallback(fallback)
            .setFallbackReason(fallbackReason)
            .build();
    return outbox.wrap(eventId, Topics.SMS_DISPATCHED.name(), facts.challengeId(), event);
  }

  OutboxEvent failed(
      AttemptFacts facts,
      ProviderOutcome.Failed failed,
      ProviderCalls.Attempted attempted,
      Instant at) {
    int providerAttempts = attempted.providerAttempts();
    String eventId = UUID.randomUUID().toString();
    SmsDispatchFailed event =
        SmsDispatchFailed.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(at)
            .setCorrelationId(facts.correlationId())
            .setChallengeId(facts.challengeId())
            .setAttempt(facts.attempt())
            .setUserId(facts.userId())
            .setAction(facts.action())
            .setChannel(channel(facts.channel()))
            .setPhoneNumberMasked(facts.phoneNumberMasked())
            .setCountryCode(facts.countryCode())
            .setReason(SmsFailureReason.valueOf(failed.reason().name()))
            .setRetryable(failed.retryable())
            .setProviderAttempts(providerAttempts)
            .setProviderStatus(failed.providerStatus())
            .setDetail(failed.detail())
            .setProvider(providerAttempts > 0 ? provider(attempted.route()) : "")
            .setRoute(attempted.route())
            .setRouteFailures(attempted.routeFailures())
            .build();
    return outbox.wrap(eventId, Topics.SMS_DISPATCH_FAILED.name(), facts.challengeId(), event);
  }

  /**
   * The dispatch-failed event of a fallback that could not be sent: the attempt itself was sent,
   * {@code fallback} (1, 2, ...) is the fallback that was due, {@code fallbackReason} why it was
   * due and {@code reason} why it did not go out. {@code attempted} is null when no route was
   * called (an expired code, a seal that does not open, no fallback left); {@code route} is then
   * the last route that sent the attempt's message.
   */
  OutboxEvent fallbackNotSent(
      AttemptFacts facts,
      int fallback,
      String fallbackReason,
      FailureReason reason,
      String detail,
      ProviderCalls.Attempted attempted,
      String route,
      Instant at) {
    int providerAttempts = attempted == null ? 0 : attempted.providerAttempts();
    ProviderOutcome.Failed failed =
        attempted != null && attempted.outcome() instanceof ProviderOutcome.Failed f ? f : null;
    String eventId = UUID.randomUUID().toString();
    SmsDispatchFailed event =
        SmsDispatchFailed.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(at)
            .setCorrelationId(facts.correlationId())
            .setChallengeId(facts.challengeId())
            .setAttempt(facts.attempt())
            .setUserId(facts.userId())
            .setAction(facts.action())
            .setChannel(channel(facts.channel()))
            .setPhoneNumberMasked(facts.phoneNumberMasked())
            .setCountryCode(facts.countryCode())
            .setReason(SmsFailureReason.valueOf(reason.name()))
            .setRetryable(failed != null && failed.retryable())
            .setProviderAttempts(providerAttempts)
            .setProviderStatus(failed == null ? null : failed.providerStatus())
            .setDetail(detail)
            .setProvider(providerAttempts > 0 ? provider(attempted.route()) : "")
            .setRoute(attempted == null ? route : attempted.route())
            .setRouteFailures(attempted == null ? java.util.List.of() : attempted.routeFailures())
            .setFallback(fallback)
            .setFallbackReason(fallbackReason)
            .build();
    return outbox.wrap(eventId, Topics.SMS_DISPATCH_FAILED.name(), facts.challengeId(), event);
  }

  OutboxEvent blocked(AttemptFacts facts, SendGuard.Blocked blocked, Instant at) {
    String eventId = UUID.randomUUID().toString();
    SmsBlocked event =
        SmsBlocked.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(at)
            .setCorrelationId(facts.correlationId())
            .setChallengeId(facts.challengeId())
            .setAttempt(facts.attempt())
            .setUserId(facts.userId())
            .setAction(facts.action())
            .setChannel(channel(facts.channel()))
            .setPhoneNumberMasked(facts.phoneNumberMasked())
            .setCountryCode(facts.countryCode())
            .setReason(SmsBlockReason.valueOf(blocked.reason().name()))
            .setShadow(blocked.shadow())
            .setLimit(blocked.limit())
            .setObserved(blocked.observed())
            .setWindowSeconds(blocked.windowSeconds())
            .setPolicyVersion(blocked.policyVersion())
            .setDetail(blocked.detail())
            .build();
    return outbox.wrap(eventId, Topics.SMS_BLOCKED.name(), facts.challengeId(), event);
  }

  /** The provider of a route id ({@code vonage-sms} → vonage); Vonage when none is known. */
  static String provider(String route) {
    if (route == null || route.isEmpty()) {
      return SmsSender.PROVIDER;
    }
    int dash = route.indexOf('-');
    return dash < 0 ? route : route.substring(0, dash);
  }

  /** The channel as the sms events name it. */
  static SmsChannel channel(Channel channel) {
    return channel == Channel.WHATSAPP ? SmsChannel.WHATSAPP : SmsChannel.SMS;
  }
}
