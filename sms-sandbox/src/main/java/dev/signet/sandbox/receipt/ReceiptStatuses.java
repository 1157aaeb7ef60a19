package dev.signet.sandbox.receipt;

/**
 * How a receipt status is spelled by each API: the SMS API's err-code, the Messages API's status.
 */
final class ReceiptStatuses {

  private ReceiptStatuses() {}

  /** Vonage DLR err-code: 0 for success states, otherwise a representative carrier error. */
  static String errCode(String status) {
    return switch (status) {
      case "delivered", "accepted", "buffered" -> "0";
      case "rejected" -> "6";
      case "expired" -> "2";
      case "failed" -> "8";
      default -> "1";
    };
  }

  /** Maps an SMS API receipt status to the Messages API status vocabulary. */
  static String messagesStatus(String smsStatus) {
    return switch (smsStatus) {
      case "delivered" -> "delivered";
      case "accepted", "buffered" -> "submitted";
      case "rejected" -> "rejected";
      default -> "undeliverable";
    };
  }
}
