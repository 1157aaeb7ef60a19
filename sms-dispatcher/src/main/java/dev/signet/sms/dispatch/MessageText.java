package dev.signet.sms.dispatch;

import java.time.Duration;

/** The text of a code message. */
final class MessageText {

  private MessageText() {}

  static String render(String appName, String code, SendRequest request) {
    // The lifetime the code was issued with, rounded: "expires in 10 minutes", not 9 after a delay.
    long minutes =
        Math.max(
            1,
            Math.round(
                Duration.between(request.requestedAt(), request.expiresAt()).toSeconds() / 60.0));
    return "Your " + appName + " code is " + code + ". It expires in " + minutes + " minutes.";
  }
}
