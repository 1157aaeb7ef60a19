package dev.signet.sms.domain;

import java.math.BigDecimal;
import java.util.List;

/** What one provider call (or a whole send attempt with its retries) came to. */
public sealed interface ProviderOutcome {

  /**
   * The provider accepted the message.
   *
   * @param messageIds the provider's id of each part, in order; the first identifies the message
   * @param price price of all parts, null when the provider did not say
   * @param networkCode destination network (MCC+MNC), null when unknown
   * @param latencyMillis duration of the successful call
   * @param segments segments billed: one id per part at Vonage's SMS API, one id for all parts at
   *     Twilio
   */
  record Accepted(
      List<String> messageIds,
      BigDecimal price,
      String networkCode,
      long latencyMillis,
      int segments)
      implements ProviderOutcome {

    /** A message with one provider id per billed part. */
    public Accepted(
        List<String> messageIds, BigDecimal price, String networkCode, long latencyMillis) {
      this(messageIds, price, networkCode, latencyMillis, messageIds.size());
    }

    public String messageId() {
      return messageIds.get(0);
    }
  }

  /**
   * The provider did not accept the message.
   *
   * @param reason stable reason
   * @param retryable whether another call may succeed (throttling, 5xx, timeouts)
   * @param providerStatus the provider's status (Vonage status or HTTP status), null when none
   * @param detail short error text or exception class; never a phone number or message text
   */
  record Failed(FailureReason reason, boolean retryable, String providerStatus, String detail)
      implements ProviderOutcome {}
}
