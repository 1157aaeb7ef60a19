package dev.signet.sms.dispatch;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RoutingProperties;
import dev.signet.sms.template.MessageTemplates.Message;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The provider calls of one attempt along its routes. A provider error or throttling on a route
 * sends the same attempt on the next route at once; a route whose circuit is open is skipped
 * without a call. Once every route failed, the attempt waits a jittered exponential back-off and
 * goes through its routes again, until its deadline (never past the code's expiry) or its {@code
 * max-provider-calls}. A timeout ends the attempt with its outcome unknown: the provider may have
 * accepted the message, so neither that route nor another is called again (a receipt settles it,
 * else {@link Fallbacks} sends the code once more after the window). Permanent rejections end the
 * attempt at once. Before a route other than the claimed one is called, the claim is moved to it
 * ({@link RouteHold}): a claim resolved meanwhile stops the attempt, so no two routes ever both
 * hold it.
 */
@Component
class ProviderCalls {

  private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

  /** The claim of a lost attempt: whatever else happens, it must not be sent. */
  static final ProviderOutcome.Failed CLAIM_LOST =
      new ProviderOutcome.Failed(
          FailureReason.UNKNOWN, false, null, "claim resolved before the send moved routes");

  /**
   * A send attempt after its provider calls.
   *
   * @param route the route that holds the send: the one that accepted it, or the last one called;
   *     null when none was
   * @param routeFailures {@code route:reason} of each failed call or skipped route before the
   *     outcome
   */
  record Attempted(
      ProviderOutcome outcome, int providerAttempts, String route, List<String> routeFailures) {

    Attempted(ProviderOutcome outcome, int providerAttempts) {
      this(outcome, providerAttempts, null, List.of());
    }
  }

  /** An attempt that ended before any provider call. */
  static final Attempted NOTHING_CALLED = new Attempted(null, 0);

  /** Moves an attempt's claim to another route; false when the claim is no longer held. */
  @FunctionalInterface
  interface RouteHold {
    Mono<Boolean> hold(String route, String because);
  }

  private final SmsSender sender;
  private final ProviderGuard guard;
  private final DispatcherProperties properties;
  private final RoutingProperties routing;
  private final Clock clock;
  private final RandomGenerator random;
  private final MeterRegistry meters;
  final Timer handoff;

  ProviderCalls(
      SmsSender sender,
      ProviderGuard guard,
      DispatcherProperties properties,
      RoutingProperties routing,
      Clock clock,
      RandomGenerator random,
      MeterRegistry meters) {
    this.sender = sender;
    this.guard = guard;
    this.properties = properties;
    this.routing = routing;
    this.clock = clock;
    this.random = random;
    this.meters = meters;
    this.handoff =
        Timer.builder("signet.sms.dispatch.handoff")
            .description(
                "From the requested event's arrival in the dispatcher to the start of its first"
                    + " provider call (claim, guard counters, code opening, thread hand-off)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(meters);
  }

  /**
   * Sends one claimed attempt along {@code plan}, whose first route the claim names already; the
   * first call uses the provider token taken before the claim.
   */
  Mono<Attempted> sendWithRetries(
      SendRequest request,
      List<Route> plan,
      Message message,
      Instant deadline,
      long receivedNanos,
      RouteHold hold) {
    return new RouteWalk(this, guard, sender, request, plan, message, deadline, receivedNanos, hold)
        .start(properties.retryInitialBackoff());
  }

  void count(Route route, ProviderOutcome outcome) {
    String result =
        outcome instanceof ProviderOutcome.Failed failed
            ? failed.reason().name().toLowerCase(java.util.Locale.ROOT)
            : "accepted";
    meters.counter("signet.sms.route.calls", "route", route.id(), "outcome", result).increment();
  }

  int maxCalls() {
    return routing.maxProviderCalls();
  }

  Duration maxBackoff() {
    return properties.retryMaxBackoff();
  }

  Clock clock() {
    return clock;
  }

  MeterRegistry meters() {
    return meters;
  }

  /** Calls one provider (the test inbox) with back-off until accepted, rejected or the deadline. */
  Mono<Attempted> call(
      SendRequest request,
      Instant deadline,
      int callNumber,
      Duration backoff,
      IntFunction<Mono<ProviderOutcome>> provider) {
    return provider
        .apply(callNumber)
        .flatMap(
            outcome -> {
              if (!(outcome instanceof ProviderOutcome.Failed failed) || !failed.retryable()) {
                return Mono.just(new Attempted(outcome, callNumber));
              }
              Duration wait = jitter(backoff);
              if (!clock.instant().plus(wait).isBefore(deadline)) {
                return Mono.just(
                    new Attempted(
                        new ProviderOutcome.Failed(
                            FailureReason.DEADLINE_EXCEEDED,
                            true,
                            failed.providerStatus(),
                            failed.reason() + " until the send deadline: " + failed.detail()),
                        callNumber));
              }
              Duration next = min(backoff.multipliedBy(2), properties.retryMaxBackoff());
              return Mono.delay(wait)
                  .then(Mono.defer(() -> call(request, deadline, callNumber + 1, next, provider)));
            });
  }

  /** Half the back-off plus a random share of the other half, so retries do not synchronise. */
  Duration jitter(Duration backoff) {
    long millis = Math.max(1, backoff.toMillis());
    return Duration.ofMillis(millis / 2 + random.nextLong(millis / 2 + 1));
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
