package dev.signet.sms.dispatch;

import com.vonage.client.sms.MessageStatus;
import com.vonage.client.sms.SmsSubmissionResponse;
import com.vonage.client.sms.SmsSubmissionResponseMessage;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** How a Vonage SMS API answer reads: accepted with its parts, or a failure with its reason. */
final class SmsApiAnswers {

  private SmsApiAnswers() {}

  static ProviderOutcome classify(SmsSubmissionResponse response, long latencyMillis) {
    List<String> ids = new ArrayList<>();
    BigDecimal price = null;
    String network = null;
    for (SmsSubmissionResponseMessage part : response.getMessages()) {
      if (part.getStatus() != MessageStatus.OK) {
        return rejected(part);
      }
      ids.add(part.getId());
      if (part.getMessagePrice() != null) {
        price = price == null ? part.getMessagePrice() : price.add(part.getMessagePrice());
      }
      network = network == null ? part.getNetwork() : network;
    }
    if (ids.isEmpty()) {
      return new ProviderOutcome.Failed(FailureReason.PROVIDER_ERROR, true, null, "empty response");
    }
    return new ProviderOutcome.Accepted(List.copyOf(ids), price, network, latencyMillis);
  }

  private static ProviderOutcome.Failed rejected(SmsSubmissionResponseMessage part) {
    MessageStatus status = part.getStatus();
    String code =
        status == MessageStatus.UNKNOWN ? null : String.valueOf(status.getMessageStatus());
    FailureReason reason =
        switch (status) {
          case THROTTLED -> FailureReason.THROTTLED;
          case INTERNAL_ERROR, TOO_MANY_BINDS, COMMS_FAILURE -> FailureReason.PROVIDER_ERROR;
          case INVALID_PARAMS,
              NUMBER_UNREACHABLE,
              NUMBER_DEACTIVATED,
              NON_WHITELISTED_DESTINATION ->
              FailureReason.INVALID_NUMBER;
          case NUMBER_BARRED, PARTNER_ACCOUNT_BARRED -> FailureReason.BARRED;
          case PARTNER_QUOTA_EXCEEDED -> FailureReason.PARTNER_QUOTA_EXCEEDED;
          case MISSING_PARAMS,
              INVALID_CREDENTIALS,
              INVALID_SIGNATURE,
              INVALID_FROM_ADDRESS,
              SIGNATURE_API_SECRET_DISALLOWED,
              ACCOUNT_NOT_HTTP ->
              FailureReason.CONFIGURATION;
          default -> FailureReason.REJECTED;
        };
    boolean retryable = reason == FailureReason.THROTTLED || reason == FailureReason.PROVIDER_ERROR;
    return new ProviderOutcome.Failed(reason, retryable, code, part.getErrorText());
  }
}
