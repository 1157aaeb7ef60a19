package dev.signet.sms.config;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Twilio Programmable Messaging settings under {@code signet.sms.twilio}. Twilio is only called by
 * a routing rule that names it; without an account SID and auth token such a route fails with
 * {@code CONFIGURATION}, without a provider call.
 *
 * @param accountSid account SID ({@code AC...}), the user of HTTP basic auth
 * @param authToken auth token: the password of basic auth and the key of the {@code
 *     X-Twilio-Signature} HMAC on status callbacks
 * @param from sender: a Twilio number (E.164) or a messaging-service-less alphanumeric id
 * @param baseUri where the SDK's {@code https://api.twilio.com} requests go instead (the SMS
 *     sandbox locally); null or blank: Twilio itself
 * @param statusCallbackUrl the public URL of this dispatcher's {@code /webhooks/twilio/status}, as
 *     Twilio calls it; signatures are checked against this URL, so it must match exactly; null
 *     sends no status callback URL
 * @param ratePerSecond Twilio requests per second this instance may make; at least 1
 * @param timeout one call's timeout; positive
 */
@ConfigurationProperties("signet.sms.twilio")
public record TwilioProperties(
    String accountSid,
    String authToken,
    String from,
    String baseUri,
    String statusCallbackUrl,
    Integer ratePerSecond,
    Duration timeout) {

  public TwilioProperties {
    accountSid = blankToNull(accountSid);
    authToken = blankToNull(authToken);
    from = blankToNull(from);
    baseUri = blankToNull(baseUri);
    statusCallbackUrl = blankToNull(statusCallbackUrl);
    ratePerSecond = ratePerSecond == null ? 30 : ratePerSecond;
    timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("signet.sms.twilio.rate-per-second must be at least 1");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("signet.sms.twilio.timeout must be a positive duration");
    }
    for (String url : new String[] {baseUri, statusCallbackUrl}) {
      if (url != null && !url.matches("https?://.+")) {
        throw new IllegalArgumentException(
            "signet.sms.twilio.base-uri and status-callback-url must be http(s) URLs, not '"
                + url
                + "'");
      }
    }
    if (baseUri != null) {
      URI.create(baseUri);
    }
  }

  /** Whether Twilio can be called at all. */
  public boolean configured() {
    return accountSid != null && authToken != null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
