package dev.signet.sms.domain;

/**
 * The channel a code goes out on, one type from the requested event to the provider call, the
 * stored attempt and the events about it. Stored under its name ({@code SMS}, {@code WHATSAPP});
 * anything else stored reads as SMS, the channel of attempts recorded before WhatsApp existed.
 */
public enum Channel {
  SMS,
  WHATSAPP;

  /** The channel a stored name stands for; null or unknown is SMS. */
  public static Channel ofStored(String name) {
    return "WHATSAPP".equals(name) ? WHATSAPP : SMS;
  }

  /**
   * Whether the text ends with the WebOTP line: only a browser reading an SMS acts on it, a
   * WhatsApp message would show it as noise.
   */
  public boolean carriesWebOtpLine() {
    return this == SMS;
  }
}
