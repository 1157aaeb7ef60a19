package dev.signet.sms.dispatch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.guard.SendGuard;
import dev.signet.sms.template.Gsm7;
import dev.signet.sms.template.MessageTemplates;
import dev.signet.sms.testnumber.TestInbox;
import dev.signet.sms.testnumber.TestNumbers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
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
  private final SmsSender sender;
  private final ProviderGuard guard;
  private final SendGuard sendGuard;
  private final TestNumbers testNumbers;
  private final TestInbox testInbox;
  private final SendAttempts attempts;
  private final DispatchEvents events;
  private final MessageTemplates templates;
  private final Outbox outbox;
  private final DispatcherProperties properties;
  private final Clock clock;
  private final RandomGenerator random;
  private final Timer handoff;

  DispatchService(
      CodeOpener opener,
      SmsSender sender,
      ProviderGuard guard,
      SendGuard sendGuard,
      TestNumbers testNumbers,
      TestInbox testInbox,
      SendAttempts attempts,
      DispatchEvents events,
      MessageTemplates templates,
      Outbox outbox,
      DispatcherProperties properties,
      Clock clock,
      RandomGenerator random,
      MeterRegistry meters) {
    this.opener = opener;
    this.sender = sender;
    this.guard = guard;
    this.sendGuard = sendGuard;
    this.testNumbers = testNumbers;
    this.testInbox = testInbox;
    this.attempts = attempts;
    this.events = events;
    this.templates = templates;
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
    this.random = random;
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

  private static final Mono<Mono<Void>> NOTHING_MORE = Mono.just(Mono.empty());

  /** A send attempt after its provider calls. */
  record Attempted(ProviderOutcome outcome, int providerAttempts) {}

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
      return refuse(request, e).then(NOTHING_MORE);
    }
    if (!request.expiresAt().isAfter(now)) {
      return failWithoutSending(
              AttemptFacts.of(request),
              new ProviderOutcome.Failed(
                  FailureReason.CHALLENGE_EXPIRED,
                  false,
                  null,
                  "challenge expired before dispatch"))
          .then(NOTHING_MORE);
    }
    MessageTemplates.Message message =
        templates.render(
            request.locale(),
            request.countryCode(),
            code,
            lifetimeMinutes(request),
            !"WHATSAPP".equals(request.channel()));
    AttemptFacts facts = AttemptFacts.of(request, message.locale());
    String text = message.text();
    String token = UUID.randomUUID().toString();
    boolean testNumber = request.testNumber() || testNumbers.contains(request.phoneNumber());
    // The first provider call's token is taken before the claim: an attempt waiting for its share
    // of the provider rate holds no claim, so a crash while waiting leaves nothing to resolve as
    // unknown, and the redelivered event sends it.
    Mono<Void> token1 = testNumber ? Mono.empty() : guard.acquire();
    // The claim and the send guard's counters are independent writes: both at once, one round
    // trip of latency before the provider call instead of two. A redelivered attempt (claimed
    // before) so counts once more against the velocity windows, which errs on the side of
    // blocking; a test number reaches no counter.
    Mono<SendGuard.Verdict> verdict =
        testNumber
            ? Mono.just(new SendGuard.Allowed())
            : Mono.defer(() -> sendGuard.check(request.phoneNumber(), request.countryCode()));
    return token1
        .then(Mono.zip(Mono.defer(() -> attempts.claim(facts, token, clock.instant())), verdict))
        .map(
            claimAndVerdict -> {
              SendAttempts.Claim claim = claimAndVerdict.getT1();
              if (claim instanceof SendAttempts.Claim.Existing existing) {
                log.info(
                    "send attempt already claimed, not sending again challengeId={} attempt={}"
                        + " state={}",
                    request.challengeId(),
                    request.attempt(),
                    existing.state());
                return Mono.<Void>empty();
              }
              Instant deadline = min(now.plus(properties.sendDeadline()), request.expiresAt());
              if (testNumber) {
                return testTraffic(request, facts, token, text, deadline);
              }
              List<OutboxEvent> extra = List.of();
              if (claimAndVerdict.getT2() instanceof SendGuard.Blocked blocked) {
                OutboxEvent event = events.blocked(facts, blocked, clock.instant());
                if (!blocked.shadow()) {
                  return block(facts, token, blocked, event);
                }
                log.warn(
                    "send guard fired in shadow mode, sending anyway challengeId={} attempt={}"
                        + " reason={}",
                    facts.challengeId(),
                    facts.attempt(),
                    blocked.reason());
                extra = List.of(event);
              }
              List<OutboxEvent> alsoRecorded = extra;
              return sendWithRetries(request, text, deadline, receivedNanos)
                  .flatMap(attempted -> record(facts, token, text, attempted, alsoRecorded, false));
            });
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
      return block(facts, token, refused, events.blocked(facts, refused, clock.instant()));
    }
    return call(
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
        .flatMap(attempted -> record(facts, token, text, attempted, List.of(), true));
  }

  private Mono<Void> block(
      AttemptFacts facts, String token, SendGuard.Blocked blocked, OutboxEvent event) {
    return attempts
        .block(facts.attemptId(), token, blocked.reason().name(), event, clock.instant())
        .doOnNext(
            stored ->
                log.warn(
                    "sms blocked by the send guard challengeId={} attempt={} reason={}",
                    facts.challengeId(),
                    facts.attempt(),
                    blocked.reason()))
        .flatMap(
            stored ->
                outbox.publishInBackground(
                    SendAttempts.COLLECTION, facts.attemptId(), List.of(stored)));
  }

  private Mono<Void> record(
      AttemptFacts facts,
      String token,
      String text,
      Attempted attempted,
      List<OutboxEvent> alsoRecorded,
      boolean testNumber) {
    Instant now = clock.instant();
    OutboxEvent event =
        attempted.outcome() instanceof ProviderOutcome.Accepted accepted
            ? events.dispatched(
                facts, accepted, !Gsm7.isGsm7(text), attempted.providerAttempts(), now, testNumber)
            : events.failed(
                facts,
                (ProviderOutcome.Failed) attempted.outcome(),
                attempted.providerAttempts(),
                now);
    List<OutboxEvent> recorded = new java.util.ArrayList<>(alsoRecorded);
    recorded.add(event);
    return attempts
        .complete(
            facts.attemptId(),
            token,
            attempted.outcome(),
            attempted.providerAttempts(),
            List.copyOf(recorded),
            now)
        .doOnNext(stored -> logOutcome(facts, attempted))
        .switchIfEmpty(
            Mono.fromRunnable(
                () ->
                    log.warn(
                        "outcome arrived after the claim was resolved as stale challengeId={}"
                            + " attempt={}",
                        facts.challengeId(),
                        facts.attempt())))
        .flatMap(
            stored ->
                outbox.publishInBackground(SendAttempts.COLLECTION, facts.attemptId(), stored));
  }

  /**
   * Records an event whose sealed code cannot be opened: TAMPERED when it does not open for the
   * event's own fields, SEALED_CODE_INVALID when it cannot be tried (unknown key or seal version,
   * legacy seal refused). Kept under the event's own id, never the attempt's: a forged copy
   * arriving first must not take the genuine attempt's place, and a redelivered copy is recorded
   * once.
   */
  private Mono<Void> refuse(SendRequest request, CodeOpener.SealException e) {
    FailureReason reason =
        e.tampered() ? FailureReason.TAMPERED : FailureReason.SEALED_CODE_INVALID;
    AttemptFacts claimed = AttemptFacts.of(request);
    // The number the event asked for, masked here: its own masked field is as untrusted as the
    // rest.
    AttemptFacts facts =
        new AttemptFacts(
            claimed.challengeId(),
            claimed.attempt(),
            claimed.correlationId(),
            claimed.userId(),
            claimed.action(),
            claimed.channel(),
            masked(request.phoneNumber()),
            claimed.countryCode(),
            claimed.locale(),
            claimed.requestedAt());
    Instant now = clock.instant();
    OutboxEvent event =
        events.failed(
            facts, new ProviderOutcome.Failed(reason, false, null, e.getMessage()), 0, now);
    return attempts
        .refuse(request.eventId(), facts, reason, event, now)
        .doOnNext(
            stored -> {
              if (e.tampered()) {
                log.warn(
                    "requested event refused, its sealed code does not open for its own challenge,"
                        + " attempt, number, channel and expiry challengeId={} attempt={}"
                        + " eventId={} phone={}",
                    request.challengeId(),
                    request.attempt(),
                    request.eventId(),
                    facts.phoneNumberMasked());
              } else {
                log.warn(
                    "requested event refused, its sealed code cannot be opened challengeId={}"
                        + " attempt={} eventId={} reason={}",
                    request.challengeId(),
                    request.attempt(),
                    request.eventId(),
                    e.getMessage());
              }
            })
        .flatMap(
            stored ->
                outbox.publishInBackground(
                    SendAttempts.COLLECTION,
                    SendAttempts.refusalId(request.eventId(), facts),
                    List.of(stored)));
  }

  private Mono<Void> failWithoutSending(AttemptFacts facts, ProviderOutcome.Failed failed) {
    Instant now = clock.instant();
    OutboxEvent event = events.failed(facts, failed, 0, now);
    return attempts
        .failWithoutSending(facts, failed, event, now)
        .doOnNext(
            stored ->
                log.info(
                    "send attempt failed before sending challengeId={} attempt={} reason={}",
                    facts.challengeId(),
                    facts.attempt(),
                    failed.reason()))
        .flatMap(
            stored ->
                outbox.publishInBackground(
                    SendAttempts.COLLECTION, facts.attemptId(), List.of(stored)));
  }

  private Mono<Attempted> sendWithRetries(
      SendRequest request, String text, Instant deadline, long receivedNanos) {
    return call(
        request,
        deadline,
        1,
        properties.retryInitialBackoff(),
        callNumber ->
            guard.call(
                () ->
                    sender.send(
                        request.phoneNumber(),
                        text,
                        request.attemptId(),
                        request.channel(),
                        request.countryCode(),
                        callNumber == 1
                            ? () -> handoff.record(System.nanoTime() - receivedNanos, NANOSECONDS)
                            : () -> {}),
                callNumber == 1));
  }

  private Mono<Attempted> call(
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
              log.info(
                  "provider call failed, retrying challengeId={} attempt={} call={} reason={}"
                      + " detail={} backoffMs={}",
                  request.challengeId(),
                  request.attempt(),
                  callNumber,
                  failed.reason(),
                  failed.detail(),
                  wait.toMillis());
              Duration next = min(backoff.multipliedBy(2), properties.retryMaxBackoff());
              return Mono.delay(wait)
                  .then(Mono.defer(() -> call(request, deadline, callNumber + 1, next, provider)));
            });
  }

  /** Half the back-off plus a random share of the other half, so retries do not synchronise. */
  private Duration jitter(Duration backoff) {
    long millis = Math.max(1, backoff.toMillis());
    return Duration.ofMillis(millis / 2 + random.nextLong(millis / 2 + 1));
  }

  private void logOutcome(AttemptFacts facts, Attempted attempted) {
    if (attempted.outcome() instanceof ProviderOutcome.Accepted accepted) {
      log.info(
          "sms dispatched challengeId={} attempt={} messageId={} segments={} providerAttempts={}",
          facts.challengeId(),
          facts.attempt(),
          accepted.messageId(),
          accepted.segments(),
          attempted.providerAttempts());
    } else if (attempted.outcome() instanceof ProviderOutcome.Failed failed) {
      log.warn(
          "sms dispatch failed challengeId={} attempt={} reason={} retryable={} providerStatus={}"
              + " providerAttempts={}",
          facts.challengeId(),
          facts.attempt(),
          failed.reason(),
          failed.retryable(),
          failed.providerStatus(),
          attempted.providerAttempts());
    }
  }

  /**
   * The lifetime the code was issued with, rounded: "expires in 10 minutes", not 9 after a delay.
   */
  private static long lifetimeMinutes(SendRequest request) {
    return Math.max(
        1,
        Math.round(
            Duration.between(request.requestedAt(), request.expiresAt()).toSeconds() / 60.0));
  }

  /** {@code +44******0001}: the first three and last four characters of an E.164 number. */
  static String masked(String phone) {
    if (phone == null || !phone.matches("\\+[1-9][0-9]{6,14}")) {
      return "****";
    }
    return phone.substring(0, 3)
        + "*".repeat(phone.length() - 7)
        + phone.substring(phone.length() - 4);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
