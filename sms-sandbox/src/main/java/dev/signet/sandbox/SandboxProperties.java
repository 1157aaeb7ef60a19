package dev.signet.sandbox;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the sandbox, bound from {@code signet.sandbox.*} (environment variables {@code
 * SIGNET_SANDBOX_*}, see application.yml).
 *
 * @param apiKey when set (with {@code apiSecret}), only this key/secret pair is accepted
 * @param apiSecret the secret paired with {@code apiKey}
 * @param signatureSecret when set, delivery receipts are signed as Vonage signs webhooks
 * @param signatureMethod the Vonage dashboard signature method used for SMS API receipts
 * @param inboxCapacity how many messages the inbox keeps before dropping the oldest
 * @param timeoutHold how long the {@code timeout} fault holds a response
 * @param slowHold how long the {@code slow} fault holds a send unless it was armed with its own
 *     hold
 * @param networkCode MCCMNC reported for every recipient
 * @param pricePerPart price of one SMS part, in EUR
 * @param startingBalance account balance at start-up, in EUR; sends fail with status 9 once spent
 * @param receipt delivery receipt settings
 */
@ConfigurationProperties("signet.sandbox")
public record SandboxProperties(
    String apiKey,
    String apiSecret,
    String signatureSecret,
    SignatureMethod signatureMethod,
    int inboxCapacity,
    Duration timeoutHold,
    Duration slowHold,
    String networkCode,
    BigDecimal pricePerPart,
    BigDecimal startingBalance,
    Receipt receipt) {

  /** SMS API delivery receipt statuses, as Vonage names them. */
  public static final Set<String> RECEIPT_STATUSES =
      Set.of("delivered", "expired", "failed", "rejected", "accepted", "buffered", "unknown");

  public SandboxProperties {
    apiKey = blankToNull(apiKey);
    apiSecret = blankToNull(apiSecret);
    signatureSecret = blankToNull(signatureSecret);
    if (signatureMethod == null) {
      signatureMethod = SignatureMethod.SHA256;
    }
    if (inboxCapacity <= 0) {
      inboxCapacity = 10_000;
    }
    if (timeoutHold == null) {
      timeoutHold = Duration.ofSeconds(30);
    }
    if (slowHold == null) {
      slowHold = Duration.ofSeconds(2);
    }
    if (networkCode == null || networkCode.isBlank()) {
      networkCode = "23410";
    }
    if (pricePerPart == null) {
      pricePerPart = new BigDecimal("0.03330000");
    }
    if (startingBalance == null) {
      startingBalance = new BigDecimal("1000000.00000000");
    }
    if (receipt == null) {
      receipt = new Receipt(null, null, null, null, 0, null, null, null, null);
    }
  }

  /** Whether a fixed key/secret pair is required; otherwise any non-empty credentials pass. */
  public boolean credentialsRequired() {
    return apiKey != null && apiSecret != null;
  }

  /** Whether receipts carry a signature. */
  public boolean signsReceipts() {
    return signatureSecret != null;
  }

  /**
   * Delivery receipt settings.
   *
   * @param url where receipts go unless a message names its own callback; blank disables receipts
   * @param delay time between accepting a message and sending its first receipt attempt
   * @param status the SMS API receipt status to report (delivered, failed, expired, rejected, ...)
   * @param method how SMS API receipts are sent: GET (query), POST (form) or POST_JSON
   * @param maxAttempts attempts per receipt before it is counted as failed; 0: no count, only
   *     {@code retryFor} ends the retries (as at Vonage)
   * @param backoff delay before the second attempt, doubled for each further attempt (Vonage: 5 s)
   * @param requestTimeout how long one attempt may take
   * @param maxBackoff the longest delay between two attempts (Vonage: 15 minutes)
   * @param retryFor how long after its first attempt a receipt is still retried (Vonage: 24 hours)
   */
  public record Receipt(
      String url,
      Duration delay,
      String status,
      ReceiptMethod method,
      int maxAttempts,
      Duration backoff,
      Duration requestTimeout,
      Duration maxBackoff,
      Duration retryFor) {

    public Receipt {
      url = blankToNull(url);
      if (delay == null) {
        delay = Duration.ofMillis(500);
      }
      status = status == null || status.isBlank() ? "delivered" : status.trim().toLowerCase();
      if (!RECEIPT_STATUSES.contains(status)) {
        throw new IllegalArgumentException(
            "SIGNET_SANDBOX_RECEIPT_STATUS must be one of " + RECEIPT_STATUSES + ": " + status);
      }
      if (method == null) {
        method = ReceiptMethod.POST_JSON;
      }
      maxAttempts = Math.max(0, maxAttempts);
      if (backoff == null) {
        backoff = Duration.ofSeconds(5);
      }
      if (requestTimeout == null) {
        requestTimeout = Duration.ofSeconds(5);
      }
      if (maxBackoff == null) {
        maxBackoff = Duration.ofMinutes(15);
      }
      if (retryFor == null) {
        retryFor = Duration.ofHours(24);
      }
    }

    public boolean enabled() {
      return url != null;
    }
  }

  /** The signature methods offered in Vonage's dashboard for signed SMS API webhooks. */
  public enum SignatureMethod {
    /** MD5 of the parameter string with the secret appended (the SDK's public verifier). */
    MD5HASH,
    /** HMAC-MD5. */
    MD5,
    /** HMAC-SHA1. */
    SHA1,
    /** HMAC-SHA256. */
    SHA256,
    /** HMAC-SHA512. */
    SHA512
  }

  /** The HTTP methods Vonage's dashboard offers for SMS API webhooks. */
  public enum ReceiptMethod {
    /** GET with the receipt as query parameters. */
    GET,
    /** POST with an application/x-www-form-urlencoded body. */
    POST,
    /** POST with an application/json body of string values. */
    POST_JSON
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
