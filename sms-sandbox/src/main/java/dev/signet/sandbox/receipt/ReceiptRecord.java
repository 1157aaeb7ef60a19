package dev.signet.sandbox.receipt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Delivery history of one receipt: every attempt and the final outcome. */
final class ReceiptRecord {

  enum Outcome {
    PENDING,
    DELIVERED,
    FAILED
  }

  private final String messageId;
  private final String api;
  private final String url;
  private final String method;
  private final String status;
  private final boolean signed;
  private final Instant createdAt;
  private final List<ReceiptView.Attempt> attempts = new ArrayList<>();
  private Outcome outcome = Outcome.PENDING;
  private Map<String, ?> payload = Map.of();

  ReceiptRecord(
      String messageId,
      String api,
      String url,
      String method,
      String status,
      boolean signed,
      Instant createdAt) {
    this.messageId = messageId;
    this.api = api;
    this.url = url;
    this.method = method;
    this.status = status;
    this.signed = signed;
    this.createdAt = createdAt;
  }

  synchronized void payload(Map<String, ?> sent) {
    this.payload = Collections.unmodifiableMap(new LinkedHashMap<>(sent));
  }

  synchronized void attempted(Instant at, Integer httpStatus, String error) {
    attempts.add(new ReceiptView.Attempt(attempts.size() + 1, at, httpStatus, error));
  }

  synchronized void finish(Outcome outcome) {
    this.outcome = outcome;
  }

  synchronized Outcome outcome() {
    return outcome;
  }

  String messageId() {
    return messageId;
  }

  synchronized ReceiptView view() {
    return new ReceiptView(
        messageId,
        api,
        url,
        method,
        status,
        signed,
        createdAt,
        outcome.name().toLowerCase(),
        List.copyOf(attempts),
        payload);
  }
}
