package dev.signet.challenge.challenge.domain;

import dev.signet.challenge.outcome.Checked;
import java.util.Locale;
import java.util.Optional;

/**
 * How a code travels: {@code DEFAULT} (SMS through the configured provider) or {@code WHATSAPP}.
 * The one shape of the channel from the API to the event; the API's spellings ({@code SMS}, any
 * case) and the verification method are folded into it once, here.
 */
public enum Channel {
  DEFAULT,
  WHATSAPP;

  /** The API's {@code smsChannel} spelling: DEFAULT or SMS, WHATSAPP, any case; null is DEFAULT. */
  public static Optional<Channel> fromApi(String smsChannel) {
    if (smsChannel == null) {
      return Optional.of(DEFAULT);
    }
    return switch (smsChannel.toUpperCase(Locale.ROOT)) {
      case "DEFAULT", "SMS" -> Optional.of(DEFAULT);
      case "WHATSAPP" -> Optional.of(WHATSAPP);
      default -> Optional.empty();
    };
  }

  /**
   * The channel of a server API challenge: WhatsApp when the verification method or the channel
   * says so, else the default SMS channel.
   */
  public static Checked<Channel> forServerRequest(String verificationMethod, String smsChannel) {
    if ("WHATSAPP".equals(verificationMethod)) {
      return Checked.accepted(WHATSAPP);
    }
    return fromApi(smsChannel)
        .map(Checked::accepted)
        .orElseGet(() -> Checked.invalid("smsChannel must be DEFAULT or WHATSAPP."));
  }
}
