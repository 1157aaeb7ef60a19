package dev.signet.sms.dispatch;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import dev.signet.sms.config.TwilioProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends one text through Twilio's Programmable Messaging with the official SDK ({@code POST
 * /2010-04-01/Accounts/{sid}/Messages.json}) and classifies the answer like the Vonage calls.
 * Blocking: called on the provider call pool. Twilio has no client reference, so the attempt id
 * travels in the status callback URL (which the callback's signature covers).
 */
@Component
class TwilioSender {

  /** Twilio error codes for a destination that cannot receive the message. */
  private static final Set<Integer> INVALID_NUMBER = Set.of(21211, 21214, 21217, 21401, 21614);

  /** Twilio error codes for a destination that opted out or is blocked. */
  private static final Set<Integer> BARRED = Set.of(21610, 21612, 30004);

  private final TwilioProperties properties;
  private final ObjectProvider<TwilioRestClient> client;

  TwilioSender(TwilioProperties properties, ObjectProvider<TwilioRestClient> client) {
    this.properties = properties;
    this.client = client;
  }

  /** One call; {@code sender} null uses the configured Twilio sender. */
  ProviderOutcome send(String to, String text, String clientRef, String sender) {
    Optional<TwilioRestClient> rest = Optional.ofNullable(client.getIfAvailable());
    String from = sender != null ? sender : properties.from();
    if (rest.isEmpty() || from == null) {
      return new ProviderOutcome.Failed(
          FailureReason.CONFIGURATION,
          false,
          null,
          "Twilio is not configured (SIGNET_TWILIO_ACCOUNT_SID, _AUTH_TOKEN, _FROM)");
    }
    long started = System.nanoTime();
    try {
      var creator =
          Message.creator(new PhoneNumber(to), new PhoneNumber(from), text)
              .setProvideFeedback(false);
      if (properties.statusCallbackUrl() != null) {
        creator.setStatusCallback(statusCallback(clientRef));
      }
      Message message = creator.create(rest.get());
      if (message == null || message.getSid() == null) {
        return new ProviderOutcome.Failed(
            FailureReason.PROVIDER_ERROR, true, null, "no message sid in the answer");
      }
      int segments = segments(message.getNumSegments());
      // One SID per message: Twilio bills the segments of one message under one id.
      return new ProviderOutcome.Accepted(
          List.of(message.getSid()),
          price(message.getPrice()),
          null,
          (System.nanoTime() - started) / 1_000_000,
          segments);
    } catch (ApiException e) {
      return classify(e);
    } catch (ApiConnectionException e) {
      return SmsSender.classify(e.getCause() == null ? e : e.getCause());
    }
  }

  /** The status callback URL for one attempt: the configured one with its client reference. */
  String statusCallback(String clientRef) {
    String base = properties.statusCallbackUrl();
    return base
        + (base.contains("?") ? "&" : "?")
        + "clientRef="
        + URLEncoder.encode(clientRef, StandardCharsets.UTF_8);
  }

  static ProviderOutcome.Failed classify(ApiException e) {
    int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
    Integer code = e.getCode();
    String providerStatus = code != null ? String.valueOf(code) : String.valueOf(status);
    String detail = "HTTP " + status + " from Twilio" + (code == null ? "" : " code " + code);
    if (status == 429 || Integer.valueOf(20429).equals(code)) {
      return new ProviderOutcome.Failed(FailureReason.THROTTLED, true, providerStatus, detail);
    }
    if (status >= 500 || status <= 0) {
      return new ProviderOutcome.Failed(FailureReason.PROVIDER_ERROR, true, providerStatus, detail);
    }
    FailureReason reason =
        status == 401 || status == 403
            ? FailureReason.CONFIGURATION
            : code != null && INVALID_NUMBER.contains(code)
                ? FailureReason.INVALID_NUMBER
                : code != null && BARRED.contains(code)
                    ? FailureReason.BARRED
                    : FailureReason.REJECTED;
    return new ProviderOutcome.Failed(reason, false, providerStatus, detail);
  }

  private static int segments(String numSegments) {
    try {
      return numSegments == null ? 1 : Math.max(1, Integer.parseInt(numSegments.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static BigDecimal price(String price) {
    try {
      // Twilio reports a price as a negative amount (a charge), often only later.
      return price == null || price.isBlank() ? null : new BigDecimal(price.trim()).abs();
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
