package dev.signet.sms.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of sms-dispatcher under {@code signet.sms}.
 *
 * @param vonageBaseUri Vonage API base URI; the SMS sandbox locally, Vonage's own in production
 * @param vonageApiKey Vonage account API key
 * @param vonageApiSecret Vonage account API secret
 * @param vonageTimeout provider call timeout; short, since a late code is a useless code
 * @param sealKeys comma-separated {@code keyId:base64(32-byte AES key)} shared with
 *     challenge-service
 * @param sender sender id shown on the phone
 * @param appName app name written into the message text
 */
@ConfigurationProperties("signet.sms")
public record DispatcherProperties(
    String vonageBaseUri,
    String vonageApiKey,
    String vonageApiSecret,
    Duration vonageTimeout,
    String sealKeys,
    String sender,
    String appName) {

  public DispatcherProperties {
    vonageTimeout = vonageTimeout == null ? Duration.ofSeconds(3) : vonageTimeout;
    sender = sender == null || sender.isBlank() ? "Signet" : sender;
    appName = appName == null || appName.isBlank() ? "Signet" : appName;
  }
}
