package dev.signet.sms.dispatch;

import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.guard.SendGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The dispatcher's service-level meters, by route (provider and API: {@code vonage-sms}, {@code
 * twilio-messaging}, ...; the route that held the send) and destination country (the ISO region
 * challenge-service parsed from the number, never the number): sends, delivery receipts,
 * request-to-send latency and guard blocks. Tags take only bounded values, so a forged event cannot
 * blow up the series count.
 */
@Component
public class DeliveryMeters {

  static final String SENDS = "signet.sms.sends";
  static final String RECEIPTS = "signet.sms.receipts";
  static final String REQUEST_TO_SEND = "signet.sms.request.to.send";
  static final String GUARD_BLOCKS = "signet.sms.guard.blocks";
  static final String FALLBACKS = "signet.sms.fallbacks";
  static final String UNKNOWN = "unknown";
  private static final Pattern REGION = Pattern.compile("[A-Z]{2}");
  private static final Pattern ROUTE = Pattern.compile("[a-z]{1,20}-[a-z]{1,20}");

  private final MeterRegistry meters;
  private final Map<String, Timer> requestToSend = new ConcurrentHashMap<>();
  private final Map<SendGuard.Reason, Counter> blocks = new EnumMap<>(SendGuard.Reason.class);

  DeliveryMeters(MeterRegistry meters) {
    this.meters = meters;
    // Registered up front: a rate over a series that appears at 1 misses its first block.
    for (SendGuard.Reason reason : SendGuard.Reason.values()) {
      blocks.put(
          reason,
          Counter.builder(GUARD_BLOCKS)
              .description("Sends refused by the dispatcher's SMS pumping guard, by guard")
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(meters));
    }
  }

  /**
   * The route that held the send ({@code vonage-sms}, {@code twilio-messaging}, ...), else the
   * channel's default route: an attempt that failed before any route was tried.
   */
  public static String route(String held, Channel channel) {
    if (held != null && ROUTE.matcher(held).matches()) {
      return held;
    }
    return channel == Channel.WHATSAPP ? "vonage-whatsapp" : "vonage-sms";
  }

  /** An ISO 3166-1 alpha-2 region, else {@value #UNKNOWN}. */
  static String country(String region) {
    if (region == null) {
      return UNKNOWN;
    }
    String upper = region.toUpperCase(Locale.ROOT);
    return REGION.matcher(upper).matches() ? upper : UNKNOWN;
  }

  /** One attempt's recorded outcome; an accepted one also times challenge request to send. */
  void sent(AttemptFacts facts, String route, boolean accepted, Instant now) {
    Counter.builder(SENDS)
        .description("Send attempts by outcome: accepted by the provider, or failed")
        .tag("route", route)
        .tag("country", country(facts.countryCode()))
        .tag("outcome", accepted ? "accepted" : "failed")
        .register(meters)
        .increment();
    if (accepted && facts.requestedAt() != null) {
      requestToSend
          .computeIfAbsent(route, this::requestToSendTimer)
          .record(Duration.between(facts.requestedAt(), now).abs());
    }
  }

  /** A new delivery receipt (a duplicate is not counted) of a known attempt. */
  public void receipt(String route, String countryCode, String status) {
    Counter.builder(RECEIPTS)
        .description("Delivery receipts by status (delivered, failed, expired, rejected, ...)")
        .tag("route", route)
        .tag("country", country(countryCode))
        .tag("status", status)
        .register(meters)
        .increment();
  }

  /** A send the guard refused (shadow-mode firings send anyway and are not counted). */
  void blocked(SendGuard.Reason reason) {
    blocks.get(reason).increment();
  }

  private Timer requestToSendTimer(String route) {
    return Timer.builder(REQUEST_TO_SEND)
        .description(
            "From the challenge's send request (challenge-service's clock) to the provider accepting"
                + " the message: outbox, Kafka, claim, guard, retries and the provider call")
        .tag("route", route)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofSeconds(120))
        .register(meters);
  }

  /**
   * {@code signet.sms.fallbacks}: fallbacks {@code sent}, {@code not_sent} and {@code exhausted},
   * by the route that sent them ({@code none} when none did) and why they were due.
   */
  static Counter fallbacks(MeterRegistry meters, String route, String reason, String outcome) {
    return meters.counter(
        FALLBACKS,
        "route",
        route == null ? "none" : route,
        "reason",
        reason.toLowerCase(Locale.ROOT),
        "outcome",
        outcome);
  }
}
