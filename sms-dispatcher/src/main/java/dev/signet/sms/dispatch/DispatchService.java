package dev.signet.sms.dispatch;

import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.guard.SendGuard;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RoutingTables;
import dev.signet.sms.template.MessageTemplates;
import dev.signet.sms.template.MessageTemplates.Message;
import dev.signet.sms.testnumber.TestInbox;
import dev.signet.sms.testnumber.TestNumbers;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The send lifecycle of one attempt: claimed → sent | failed | blocked. The claim in MongoDB comes
 * before the provider call, so a redelivered event finds it and sends nothing; the outcome and its
 * event are recorded in the same document after the call. Transient provider failures are retried
 * with jittered exponential back-off until the attempt's deadline, which never reaches past the
 * code's expiry; permanent rejections fail at once.
 */
@Component
class DispatchService {

  private static final Logger log = LoggerFactory.getLogger(DispatchService.class);

  private final CodeOpener opener;
  private final ProviderGuard guard;
  private final SendGuard sendGuard;
  private final TestNumbers testNumbers;
  private final TestInbox testInbox;
  private final SendAttempts attempts;
  private final DispatchEvents events;
  private final MessageTemplates templates;
  private final ProviderCalls calls;
  private final AttemptOutcomes outcomes;
  private final RoutingTables routing;
  private final DispatcherProperties properties;
  private final FallbackProperties fallback;
  private final Clock clock;
  private final RandomGenerator random;

  DispatchService(
      CodeOpener opener,
      ProviderGuard guard,
      SendGuard sendGuard,
      TestNumbers testNumbers,
      TestInbox testInbox,
      SendAttempts attempts,
      DispatchEvents events,
      MessageTemplates templates,
      ProviderCalls calls,
      AttemptOutcomes outcomes,
      RoutingTables routing,
      DispatcherProperties properties,
      FallbackProperties fallback,
      Clock clock,
      RandomGenerator random) {
    this.opener = opener;
    this.guard = guard;
    this.sendGuard = sendGuard;
    this.testNumbers = testNumbers;
    this.testInbox = testInbox;
    this.attempts = attempts;
    this.events = events;
    this.templates = templates;
    this.calls = calls;
    this.outcomes = outcomes;
    this.routing = routing;
    this.properties = properties;
    this.fallback = fallback;
    this.clock = clock;
    this.random = random;
  }

  private static final Mono<Mono<Void>> NOTHING_MORE = Mono.just(Mono.empty());

  Mono<Void> dispatch(SendRequest request) {
    return dispatch(request, System.nanoTime());
  }

  /**
   * Dispatches one attempt, both phases of {@link #claim}; {@code receivedNanos} ({@link
   * System#nanoTime()}) is when its event reached the dispatcher, the start of the {@code
   * signet.sms.dispatch.handoff} timer.
   */
  Mono<Void> dispatch(SendRequest request, long receivedNanos) {
    return claim(request, receivedNanos).flatMap(rest -> rest);
  }

  /**
   * The first phase of one attempt: its share of the provider rate, then its claim (with the send
   * guard's counters), or its failure recorded when it cannot be sent (expired, sealed code that
   * does not open). Its value is the second phase, not yet started: the provider calls and the
   * recorded outcome (empty when there is nothing more to do). Once the first phase completed, the
   * event's offset may be committed: a redelivery finds the claim and never sends again, and a
   * claim whose second phase never finishes is resolved by {@link StaleClaims}.
   */
  Mono<Mono<Void>> claim(SendRequest request, long receivedNanos) {
    Instant now = clock.instant();
    // The code is opened first: an event whose code does not open for its own challenge, attempt,
    // number, channel and expiry (forged or altered) is refused before anything is written under
    // its attempt, so it can neither be sent nor stand in the way of the genuine event's claim.
    String code;
    try {
      code =
          opener.open(
              request.sealKeyId(),
              request.sealVersion(),
              request.sealBinding(),
              request.sealedCode());
    } catch (CodeOpener.SealException e) {
      return outcomes.refuse(request, e).then(NOTHING_MORE);
    }
    if (!request.expiresAt().isAfter(now)) {
      return outcomes
          .failWithoutSending(
              AttemptFacts.of(request),
              new ProviderOutcome.Failed(
                  FailureReason.CHALLENGE_EXPIRED,
                  false,
                  null,
                  "challenge expired before dispatch"))
          .then(NOTHING_MORE);
    }
    Ready ready = ready(request, code);
    // The first provider call's token is taken before the claim: an attempt waiting for its share
    // of the provider rate holds no claim, so a crash while waiting leaves nothing to resolve as
    // unknown, and the redelivered event sends it.
    Mono<Void> token1 = ready.testNumber() ? Mono.empty() : guard.acquire(ready.plan().get(0));
    // The claim and the send guard's counters are independent writes: both at once, one round
    // trip of latency before the provider call instead of two. A redelivered attempt (claimed
    // before) so counts once more against the velocity windows, which errs on the side of
    // blocking; a test number reaches no counter.
    Mono<SendGuard.Verdict> verdict =
        ready.testNumber()
            ? Mono.just(new SendGuard.Allowed())
            : Mono.defer(() -> sendGuard.check(request.phoneNumber(), request.countryCode()));
    return token1
        .then(Mono.zip(Mono.defer(() -> claimOf(request, ready)), verdict))
        .map(
            claimAndVerdict ->
                afterClaim(
                    request,
                    ready,
                    claimAndVerdict.getT1(),
                    claimAndVerdict.getT2(),
                    now,
                    receivedNanos));
  }

  /**
   * The attempt's claim, with what a fallback send will need, sealed (none for test traffic or with
   * the fallback off).
   */
  private Mono<SendAttempts.Claim> claimOf(SendRequest request, Ready ready) {
    org.bson.Document resend =
        ready.testNumber() || !fallback.enabled()
            ? null
            : Resend.sealed(request, opener, ready.plan()).toDocument();
    return attempts.claim(ready.facts(), ready.token(), ready.route(), resend, clock.instant());
  }

  /** An attempt ready to be claimed: its facts, its message, its claim token, its routes. */
  private record Ready(
      AttemptFacts facts, Message message, String token, boolean testNumber, List<Route> plan) {

    /** The route the claim names: the first of the plan; none for test traffic. */
    String route() {
      return testNumber ? null : plan.get(0).id();
    }
  }

  private Ready ready(SendRequest request, String code) {
    var message =
        templates.render(
            request.locale(),
            request.countryCode(),
            code,
            request.lifetimeMinutes(),
            request.channel().carriesWebOtpLine());
    return new Ready(
        AttemptFacts.of(request, message.locale()),
        message,
        UUID.randomUUID().toString(),
        request.testNumber() || testNumbers.contains(request.phoneNumber()),
        routing.current().plan(request.countryCode(), request.channel(), random));
  }

  /** The second phase, once the claim is written: nothing when claimed before, else the send. */
  private Mono<Void> afterClaim(
      SendRequest request,
      Ready ready,
      SendAttempts.Claim claim,
      SendGuard.Verdict verdict,
      Instant now,
      long receivedNanos) {
    AttemptFacts facts = ready.facts();
    if (claim instanceof SendAttempts.Claim.Existing existing) {
      log.info(
          "send attempt already claimed, not sending again challengeId={} attempt={} state={}",
          request.challengeId(),
          request.attempt(),
          existing.state());
      return Mono.empty();
    }
    Instant deadline = min(now.plus(properties.sendDeadline()), request.expiresAt());
    if (ready.testNumber()) {
      return testTraffic(request, facts, ready.token(), ready.message().text(), deadline);
    }
    List<OutboxEvent> alsoRecorded = List.of();
    if (verdict instanceof SendGuard.Blocked blocked) {
      OutboxEvent event = events.blocked(facts, blocked, clock.instant());
      if (!blocked.shadow()) {
        return outcomes.block(facts, ready.token(), blocked, event);
      }
      log.warn(
          "send guard fired in shadow mode, sending anyway challengeId={} attempt={} reason={}",
          facts.challengeId(),
          facts.attempt(),
          blocked.reason());
      alsoRecorded = List.of(event);
    }
    List<OutboxEvent> extra = alsoRecorded;
    String attemptId = facts.attemptId();
    return calls
        .sendWithRetries(
            request,
            ready.plan(),
            ready.message(),
            deadline,
            receivedNanos,
            (route, because) ->
                attempts.holdRoute(attemptId, ready.token(), route, because, clock.instant()))
        .flatMap(
            a -> outcomes.record(facts, ready.token(), ready.message().text(), a, extra, false));
  }

  /**
   * A configured test number: no guard, no provider, no rate limit; the message goes to the test
   * inbox and is announced as test traffic. Under the production profile it is refused instead.
   */
  private Mono<Void> testTraffic(
      SendRequest request, AttemptFacts facts, String token, String text, Instant deadline) {
    if (testNumbers.production()) {
      SendGuard.Blocked refused =
          new SendGuard.Blocked(
              SendGuard.Reason.TEST_NUMBER_IN_PRODUCTION,
              null,
              null,
              null,
              "test numbers are refused under the production profile",
              false,
              null);
      return outcomes.block(facts, token, refused, events.blocked(facts, refused, clock.instant()));
    }
    return calls
        .call(
            request,
            deadline,
            1,
            properties.retryInitialBackoff(),
            callNumber -> {
              long started = System.nanoTime();
              return testInbox
                  .deliver(request.phoneNumber(), text, request.channel(), request.attemptId())
                  .<ProviderOutcome>map(
                      id ->
                          new ProviderOutcome.Accepted(
                              List.of(id), null, null, (System.nanoTime() - started) / 1_000_000))
                  .onErrorResume(
                      e ->
                          Mono.just(
                              new ProviderOutcome.Failed(
                                  FailureReason.PROVIDER_ERROR,
                                  true,
                                  null,
                                  "test inbox: " + e.getMessage())));
            })
        .flatMap(attempted -> outcomes.record(facts, token, text, attempted, List.of(), true));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
