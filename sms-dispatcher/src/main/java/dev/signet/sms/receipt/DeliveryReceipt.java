package dev.signet.sms.receipt;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One Vonage SMS API delivery receipt (DLR), as the parameters Vonage sends by GET, form POST or
 * JSON POST. The recipient's number ({@code msisdn}) is deliberately not kept.
 *
 * @param messageId the part's provider message id
 * @param status Vonage's status word, lower case (delivered, failed, ...)
 * @param errorCode Vonage {@code err-code}, null when absent
 * @param networkCode MCCMNC, null when absent
 * @param price price of the part, null when absent
 * @param clientRef the client reference sent with the message ({@code challengeId:attempt})
 * @param reportedAt status time reported by the provider, null when absent or unreadable
 */
record DeliveryReceipt(
    String messageId,
    String status,
    String errorCode,
    String networkCode,
    String price,
    String clientRef,
    Instant reportedAt) {

  private static final Set<String> FINAL = Set.of("delivered", "failed", "expired", "rejected");
  private static final DateTimeFormatter MESSAGE_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter SCTS = DateTimeFormatter.ofPattern("yyMMddHHmm");

  /** The receipt in the parameters, or null when it lacks a message id or a status. */
  static DeliveryReceipt parse(Map<String, String> params) {
    String messageId = blankToNull(params.get("messageId"));
    String status = blankToNull(params.get("status"));
    if (messageId == null || status == null) {
      return null;
    }
    return new DeliveryReceipt(
        messageId,
        status.toLowerCase(Locale.ROOT),
        blankToNull(params.get("err-code")),
        blankToNull(params.get("network-code")),
        blankToNull(params.get("price")),
        blankToNull(params.get("client-ref")),
        reportedAt(params));
  }

  boolean isFinal() {
    return FINAL.contains(status);
  }

  /**
   * Identity for deduplication: Vonage retries a receipt until it gets a 2xx, and may report a
   * message more than once as its status moves (accepted, then delivered).
   */
  String dedupeKey() {
    return messageId + ":" + status + ":" + (errorCode == null ? "" : errorCode);
  }

  private static Instant reportedAt(Map<String, String> params) {
    try {
      String timestamp = blankToNull(params.get("message-timestamp"));
      if (timestamp != null) {
        return LocalDateTime.parse(timestamp, MESSAGE_TIMESTAMP).toInstant(ZoneOffset.UTC);
      }
      String scts = blankToNull(params.get("scts"));
      if (scts != null) {
        return LocalDateTime.parse(scts, SCTS).toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException e) {
      return null;
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
