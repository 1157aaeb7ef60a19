package dev.signet.sandbox.receipt;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One receipt as {@code GET /receipts} shows it.
 *
 * @param messageId the SMS API message-id (one receipt per part) or Messages API message_uuid
 * @param api {@code sms} or {@code messages}
 * @param url where it was sent
 * @param method GET, POST or POST_JSON
 * @param status delivery status reported
 * @param signed whether it carried a signature
 * @param createdAt when the message was accepted
 * @param outcome pending, delivered (a 2xx answer) or failed (all attempts spent)
 * @param attempts every attempt, in order
 * @param payload parameters or JSON body of the latest attempt
 */
public record ReceiptView(
    String messageId,
    String api,
    String url,
    String method,
    String status,
    boolean signed,
    Instant createdAt,
    String outcome,
    List<Attempt> attempts,
    Map<String, ?> payload) {

  /**
   * @param number 1 for the first attempt
   * @param at when it was made
   * @param httpStatus the receiver's answer, null when none came
   * @param error why it failed, null on success
   */
  public record Attempt(int number, Instant at, Integer httpStatus, String error) {}
}
