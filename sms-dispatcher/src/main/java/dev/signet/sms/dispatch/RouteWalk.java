package dev.signet.sms.dispatch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.routing.Route;
import dev.signet.sms.template.MessageTemplates.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One attempt's walk along its routes (see {@link ProviderCalls}): a provider error or throttling
 * moves on to the next route at once, an open circuit is skipped, a timeout ends the walk with the
 * outcome unknown (never a second call that could deliver a second message), a pass over every
 * route ends in a back-off and another pass, until the deadline or the tries run out (an open
 * circuit costs no call). Before a route other than the one holding the claim is called, the claim
 * moves to it.
 */
final class RouteWalk {

  private static final Logger log = LoggerFactory.getLogger(RouteWalk.class);

  /** Where one attempt's send stands between route tries. */
  record Progress(
      int calls, int tries, String holder, List<String> failures, ProviderOutcome.Failed last) {

    Progress next(boolean called, String route, ProviderOutcome.Failed failed) {
      List<String> more = new ArrayList<>(failures);
      more.add(route + ":" + failed.reason().name());
      return new Progress(
          calls + (called ? 1 : 0), tries + 1, called ? route : holder, List.copyOf(more), failed);
    }
  }

  private final ProviderCalls calls;
  private final ProviderGuard guard;
  private final SmsSender sender;
  private final SendRequest request;
  private final List<Route> plan;
  private final Message message;
  private final Instant deadline;
  private final long receivedNanos;
  private final ProviderCalls.RouteHold hold;

  RouteWalk(
      ProviderCalls calls,
      ProviderGuard guard,
      SmsSender sender,
      SendRequest request,
      List<Route> plan,
      Message message,
      Instant deadline,
      long receivedNanos,
      ProviderCalls.RouteHold hold) {
    this.calls = calls;
    this.guard = guard;
    this.sender = sender;
    this.request = request;
    this.plan = plan;
    this.message = message;
    this.deadline = deadline;
    this.receivedNanos = receivedNanos;
    this.hold = hold;
  }

  Mono<ProviderCalls.Attempted> start(Duration backoff) {
    return step(0, backoff, new Progress(0, 0, plan.get(0).id(), List.of(), null));
  }

  private Mono<ProviderCalls.Attempted> step(int index, Duration backoff, Progress p) {
    if (p.calls() >= calls.maxCalls()) {
      ProviderOutcome.Failed last = p.last();
      return Mono.just(
          attempted(
              new ProviderOutcome.Failed(
                  last.reason(),
                  true,
                  last.providerStatus(),
                  "every route failed, gave up after "
                      + p.calls()
                      + " provider calls: "
                      + String.join(", ", p.failures())),
              p));
    }
    if (index >= plan.size()) {
      return retryLater(0, backoff, p);
    }
    Route route = plan.get(index);
    boolean first = p.tries() == 0;
    return guard
        .call(route, () -> holdThenSend(route, p, first), first)
        .flatMap(outcome -> next(index, route, backoff, p, outcome));
  }

  private Mono<ProviderOutcome> holdThenSend(Route route, Progress p, boolean first) {
    Mono<Boolean> held =
        route.id().equals(p.holder())
            ? Mono.just(true)
            : hold.hold(route.id(), String.join(", ", p.failures()));
    return held.flatMap(
        ok ->
            ok
                ? sender.send(
                    route,
                    request.phoneNumber(),
                    message,
                    request.attemptId(),
                    request.countryCode(),
                    first
                        ? () -> calls.handoff.record(System.nanoTime() - receivedNanos, NANOSECONDS)
                        : () -> {})
                : Mono.just(ProviderCalls.CLAIM_LOST));
  }

  private Mono<ProviderCalls.Attempted> next(
      int index, Route route, Duration backoff, Progress p, ProviderOutcome outcome) {
    calls.count(route, outcome);
    if (outcome instanceof ProviderOutcome.Accepted) {
      return Mono.just(
          new ProviderCalls.Attempted(outcome, p.calls() + 1, route.id(), p.failures()));
    }
    ProviderOutcome.Failed failed = (ProviderOutcome.Failed) outcome;
    if (failed == ProviderCalls.CLAIM_LOST) {
      return Mono.just(new ProviderCalls.Attempted(failed, p.calls(), p.holder(), p.failures()));
    }
    boolean called = failed.reason() != FailureReason.CIRCUIT_OPEN;
    Progress after = p.next(called, route.id(), failed);
    if (!failed.retryable()) {
      return Mono.just(
          new ProviderCalls.Attempted(failed, after.calls(), route.id(), p.failures()));
    }
    if (failed.reason() == FailureReason.TIMEOUT) {
      // Maybe accepted: calling this route again, or another one, could deliver a second message.
      // The attempt ends with its outcome unknown; a receipt settles it, else the fallback sends
      // the code once more after the window (at most once per route, one extra message at most).
      return Mono.just(
          new ProviderCalls.Attempted(
              new ProviderOutcome.Failed(
                  FailureReason.TIMEOUT,
                  true,
                  failed.providerStatus(),
                  "no answer from "
                      + route.id()
                      + " in time, it may have accepted the message: not called again; "
                      + failed.detail()),
              after.calls(),
              route.id(),
              p.failures()));
    }
    if (index + 1 < plan.size()) {
      calls.meters().counter("signet.sms.route.failovers", "route", route.id()).increment();
      log.info(
          "provider call failed, trying the next route challengeId={} attempt={} route={}"
              + " reason={} next={}",
          request.challengeId(),
          request.attempt(),
          route.id(),
          failed.reason(),
          plan.get(index + 1).id());
    }
    return step(index + 1, backoff, after);
  }

  private Mono<ProviderCalls.Attempted> retryLater(int index, Duration backoff, Progress p) {
    if (p.calls() >= calls.maxCalls()) {
      return step(index, backoff, p);
    }
    ProviderOutcome.Failed failed = p.last();
    Duration wait = calls.jitter(backoff);
    if (!calls.clock().instant().plus(wait).isBefore(deadline)) {
      return Mono.just(
          attempted(
              new ProviderOutcome.Failed(
                  FailureReason.DEADLINE_EXCEEDED,
                  true,
                  failed.providerStatus(),
                  failed.reason() + " until the send deadline: " + failed.detail()),
              p));
    }
    log.info(
        "provider call failed, retrying challengeId={} attempt={} tries={} reason={}"
            + " detail={} backoffMs={}",
        request.challengeId(),
        request.attempt(),
        p.tries(),
        failed.reason(),
        failed.detail(),
        wait.toMillis());
    Duration next = ProviderCalls.min(backoff.multipliedBy(2), calls.maxBackoff());
    return Mono.delay(wait).then(Mono.defer(() -> step(index, next, p)));
  }

  private ProviderCalls.Attempted attempted(ProviderOutcome.Failed failed, Progress p) {
    return new ProviderCalls.Attempted(failed, p.calls(), p.holder(), p.failures());
  }
}
