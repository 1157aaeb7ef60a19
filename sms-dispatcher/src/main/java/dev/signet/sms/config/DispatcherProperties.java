package dev.signet.sms.config;

import dev.signet.platform.outbox.OutboxSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of sms-dispatcher under {@code signet.sms}.
 *
 * @param vonageBaseUri Vonage API base URI; the SMS sandbox locally, Vonage's own in production
 * @param vonageApiKey Vonage account API key
 * @param vonageApiSecret Vonage account API secret
 * @param vonageSignatureSecret Vonage signature secret; when set, delivery receipts must carry a
 *     valid, fresh HMAC-SHA256 signature
 * @param vonageTimeout provider call timeout; short, since a late code is a useless code
 * @param sealKeys comma-separated {@code keyId:base64(32-byte AES key)} shared with
 *     challenge-service
 * @param sender sender id shown on the phone
 * @param appName app name written into the message text
 * @param sendDeadline how long one send attempt may keep retrying transient provider failures;
 *     never beyond the code's expiry
 * @param retryInitialBackoff first back-off between provider calls, doubled per retry, jittered
 * @param retryMaxBackoff cap of one back-off
 * @param staleClaimAfter age after which a claim without outcome is resolved as failed (the
 *     dispatcher stopped between claim and provider answer); must exceed the send deadline
 * @param receiptMaxSkew accepted distance between a receipt's signed timestamp and now
 * @param providerRatePerSecond provider requests per second this instance may make (token bucket);
 *     with several instances, the account's rate divided by their number
 * @param circuitWindow provider calls the circuit breaker looks back on
 * @param circuitMinimumCalls calls needed before the failure rate counts
 * @param circuitFailureRatePercent failure rate (5xx, I/O errors, timeouts) that opens the circuit
 * @param circuitOpenFor how long the circuit stays open before one trial call
 * @param templateDir folder of {@code <lang>.txt} templates overriding the built-in ones, or null
 * @param webOtpDomain domain of the WebOTP last line {@code @<domain> #<code>}, or null
 * @param androidAppHash Android SMS Retriever app hash (11 characters), or null
 * @param whatsappSender WhatsApp Business number messages on the WhatsApp channel come from;
 *     defaults to {@code sender}
 * @param dispatchConcurrency send attempts in flight at once (claimed, outcome not yet recorded)
 *     across the listener threads; at the limit consumption pauses
 * @param providerThreads threads the blocking Vonage SDK calls run on
 * @param sendersByCountry comma-separated {@code REGION:sender} SMS senders for destinations where
 *     {@code sender} does not work (e.g. {@code US:+15551234567,CA:+15551234567}: alphanumeric ids
 *     are refused in North America); other regions use {@code sender}
 * @param testNumbers comma-separated {@code +E164:code} test numbers (the code is
 *     challenge-service's business; here only the numbers count): never sent to a provider, never
 *     rate-limited, refused under the production profile
 * @param managementSecret machine credential of the actuator ({@code SIGNET_MANAGEMENT_SECRET}),
 *     sent as a Bearer token or as the Basic user name; required
 * @param acceptLegacySeal accept codes sealed by challenge-service versions that bound the code to
 *     the challenge id alone ({@code sealVersion} 1); only during an upgrade from such a version
 * @param staleClaimSweepInterval how often (and how long after start) stale claims are looked for
 * @param relayInterval how often the outbox relay looks for events a failed send left behind
 * @param relayGrace age after which an event not yet acknowledged counts as left behind
 * @param outboxAckInterval how often published events are removed from their documents, in one bulk
 *     write
 *     <p>What 0 means: a duration of 0 is refused for {@code vonageTimeout}, {@code sendDeadline},
 *     {@code staleClaimAfter}, {@code circuitOpenFor}, {@code staleClaimSweepInterval} and the
 *     outbox's intervals (each would turn a safeguard into a busy loop or an instant failure);
 *     {@code retryInitialBackoff} and {@code retryMaxBackoff} of 0 retry at once; {@code
 *     receiptMaxSkew} of 0 accepts only a receipt signed this very second. Counts of 0 are refused
 *     ({@code providerRatePerSecond}, {@code circuitWindow}, {@code circuitMinimumCalls}, {@code
 *     dispatchConcurrency}, {@code providerThreads}); {@code circuitFailureRatePercent} of 0 opens
 *     the circuit on the first failure once the minimum calls are reached.
 */
@ConfigurationProperties("signet.sms")
public record DispatcherProperties(
    String vonageBaseUri,
    String vonageApiKey,
    String vonageApiSecret,
    String vonageSignatureSecret,
    Duration vonageTimeout,
    String sealKeys,
    String sender,
    String appName,
    Duration sendDeadline,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration staleClaimAfter,
    Duration receiptMaxSkew,
    Integer providerRatePerSecond,
    Integer circuitWindow,
    Integer circuitMinimumCalls,
    Integer circuitFailureRatePercent,
    Duration circuitOpenFor,
    String templateDir,
    String webOtpDomain,
    String androidAppHash,
    String whatsappSender,
    Integer dispatchConcurrency,
    Integer providerThreads,
    String sendersByCountry,
    String testNumbers,
    String managementSecret,
    boolean acceptLegacySeal,
    Duration staleClaimSweepInterval,
    Duration relayInterval,
    Duration relayGrace,
    Duration outboxAckInterval) {

  public DispatcherProperties {
    vonageTimeout = vonageTimeout == null ? Duration.ofSeconds(3) : vonageTimeout;
    sender = sender == null || sender.isBlank() ? "Signet" : sender;
    appName = appName == null || appName.isBlank() ? "Signet" : appName;
    vonageSignatureSecret =
        vonageSignatureSecret == null || vonageSignatureSecret.isBlank()
            ? null
            : vonageSignatureSecret;
    sendDeadline = sendDeadline == null ? Duration.ofSeconds(60) : sendDeadline;
    retryInitialBackoff =
        retryInitialBackoff == null ? Duration.ofMillis(200) : retryInitialBackoff;
    retryMaxBackoff = retryMaxBackoff == null ? Duration.ofSeconds(5) : retryMaxBackoff;
    staleClaimAfter = staleClaimAfter == null ? Duration.ofMinutes(5) : staleClaimAfter;
    receiptMaxSkew = receiptMaxSkew == null ? Duration.ofMinutes(5) : receiptMaxSkew;
    providerRatePerSecond = providerRatePerSecond == null ? 30 : providerRatePerSecond;
    circuitWindow = circuitWindow == null ? 20 : circuitWindow;
    circuitMinimumCalls = circuitMinimumCalls == null ? 10 : circuitMinimumCalls;
    circuitFailureRatePercent = circuitFailureRatePercent == null ? 50 : circuitFailureRatePercent;
    circuitOpenFor = circuitOpenFor == null ? Duration.ofSeconds(10) : circuitOpenFor;
    templateDir = blankToNull(templateDir);
    webOtpDomain = blankToNull(webOtpDomain);
    androidAppHash = blankToNull(androidAppHash);
    // WhatsApp senders are numbers: an alphanumeric SMS sender id cannot stand in for one.
    whatsappSender =
        whatsappSender != null && !whatsappSender.isBlank()
            ? whatsappSender.trim()
            : sender.matches("\\+?[1-9][0-9]{6,14}") ? sender : null;
    dispatchConcurrency = dispatchConcurrency == null ? 256 : dispatchConcurrency;
    providerThreads = providerThreads == null ? 64 : providerThreads;
    testNumbers = testNumbers == null ? "" : testNumbers.trim();
    sendersByCountry = sendersByCountry == null ? "" : sendersByCountry.trim();
    parseSenders(sendersByCountry);
    staleClaimSweepInterval =
        staleClaimSweepInterval == null ? Duration.ofSeconds(30) : staleClaimSweepInterval;
    relayInterval = relayInterval == null ? Duration.ofSeconds(1) : relayInterval;
    relayGrace = relayGrace == null ? Duration.ofSeconds(5) : relayGrace;
    outboxAckInterval = outboxAckInterval == null ? Duration.ofMillis(200) : outboxAckInterval;
    for (Duration positive :
        new Duration[] {
          vonageTimeout,
          sendDeadline,
          staleClaimAfter,
          circuitOpenFor,
          staleClaimSweepInterval,
          relayInterval,
          relayGrace,
          outboxAckInterval
        }) {
      if (positive.isZero() || positive.isNegative()) {
        throw new IllegalArgumentException(
            "signet.sms.vonage-timeout, send-deadline, stale-claim-after, circuit-open-for,"
                + " stale-claim-sweep-interval, relay-interval, relay-grace and"
                + " outbox-ack-interval must be positive durations");
      }
    }
    if (circuitWindow < 1 || circuitMinimumCalls < 1) {
      throw new IllegalArgumentException(
          "signet.sms.circuit-window and circuit-minimum-calls must be at least 1");
    }
    if (dispatchConcurrency < 1 || providerThreads < 1) {
      throw new IllegalArgumentException(
          "signet.sms.dispatch-concurrency and provider-threads must be at least 1");
    }
    if (providerRatePerSecond < 1) {
      throw new IllegalArgumentException("signet.sms.provider-rate-per-second must be at least 1");
    }
    // A claim may only be called stale once its sender has certainly given up, or a slow but live
    // send would be reported failed while its SMS goes out.
    Duration longestSend = sendDeadline.plus(vonageTimeout.multipliedBy(2));
    if (staleClaimAfter.compareTo(longestSend) <= 0) {
      throw new IllegalArgumentException(
          "signet.sms.stale-claim-after must exceed send-deadline plus twice vonage-timeout");
    }
  }

  /** The SMS sender for a destination region: its own when configured, else {@code sender}. */
  /** The platform outbox over {@code collections}, relayed and acknowledged as configured here. */
  public OutboxSettings outbox(List<String> collections) {
    return new OutboxSettings(collections, relayInterval, relayGrace, outboxAckInterval, 200);
  }

  public String senderFor(String region) {
    String own =
        region == null ? null : parseSenders(sendersByCountry).get(region.toUpperCase(Locale.ROOT));
    return own != null ? own : sender;
  }

  private static Map<String, String> parseSenders(String config) {
    Map<String, String> senders = new HashMap<>();
    for (String entry : config.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      String region = colon < 0 ? "" : entry.substring(0, colon).trim().toUpperCase(Locale.ROOT);
      String sender = colon < 0 ? "" : entry.substring(colon + 1).trim();
      if (!region.matches("[A-Z]{2}") || sender.isEmpty()) {
        throw new IllegalArgumentException(
            "signet.sms.senders-by-country (SIGNET_SMS_SENDERS_BY_COUNTRY): expected REGION:sender,"
                + " e.g. US:+15551234567, not '"
                + entry.trim()
                + "'");
      }
      senders.put(region, sender);
    }
    return senders;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
