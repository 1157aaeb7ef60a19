package dev.signet.challenge.challenge;

import dev.signet.challenge.code.CodeGenerator;
import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.code.CodeSealer;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.limits.IpKey;
import dev.signet.challenge.limits.NewNumbers;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.challenge.policy.SendPolicies;
import dev.signet.challenge.testnumber.TestNumbers;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.UserStore;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Issues and resends challenges. A code is drawn, only its HMAC is stored, and the requested event
 * that carries it sealed for the dispatcher is written in the same document write, then published.
 * A resend replaces the code (the old one dies with its hash) but keeps the failure count, and is
 * one conditional update on the send counter, so concurrent resends cannot both send.
 */
@Component
public class ChallengeIssuer {

  private static final Logger log = LoggerFactory.getLogger(ChallengeIssuer.class);
  static final String COLLECTION = "challenges";

  /** Writes tried per send before giving up on racing for a slot; each loss means one was taken. */
  private static final int SLOT_TRIES = 12;

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final CodeGenerator codes;
  private final CodeHasher hasher;
  private final CodeSealer sealer;
  private final TestNumbers testNumbers;
  private final ChallengeProperties properties;
  private final SendSlots sendSlots;
  private final SecureRandom random;
  private final Clock clock;
  private final SendPolicies sendPolicy;
  private final RateLimiter limiter;
  private final RateLimiter.Limit sendsPerIp;
  private final NewNumbers newNumbers;
  private final UserStore users;
  private final SendRefusals refusals;

  ChallengeIssuer(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      CodeGenerator codes,
      CodeHasher hasher,
      CodeSealer sealer,
      TestNumbers testNumbers,
      ChallengeProperties properties,
      SecureRandom random,
      Clock clock,
      SendPolicies sendPolicy,
      RateLimiter limiter,
      NewNumbers newNumbers,
      UserStore users,
      SendRefusals refusals) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.codes = codes;
    this.hasher = hasher;
    this.sealer = sealer;
    this.testNumbers = testNumbers;
    this.properties = properties;
    this.sendSlots =
        new SendSlots(properties.limits().sendsPerPhone(), properties.limits().sendsWindow());
    this.random = random;
    this.clock = clock;
    this.sendPolicy = sendPolicy;
    this.limiter = limiter;
    this.newNumbers = newNumbers;
    this.users = users;
    this.refusals = refusals;
    this.sendsPerIp =
        properties.limits().sendsPerIp() > 0 && !properties.limits().sendsPerIpWindow().isZero()
            ? new RateLimiter.Limit(
                "sends-per-ip",
                properties.limits().sendsPerIp(),
                properties.limits().sendsPerIpWindow(),
                "Too many codes requested from this IP address; try again later.")
            : null;
  }

  /**
   * The checks before a send, in order: the send policy (allowlist, blocked prefixes and
   * countries), sends per end-user IP (an IPv6 address by its /64), distinct numbers per tracked
   * action attempt, distinct new numbers per user. Test numbers are never sent, so never refused.
   * The IP is the end user's address as the customer's back end reported it ({@code ipAddress} of
   * the challenge, or of the tracked action for the client API), never one read from a header a
   * browser could set. Every refusal is recorded for audit with its reason ({@link SendRefusals}).
   */
  private Mono<Void> admit(SendRefusals.Send send, String actionAttemptId) {
    if (testNumbers.contains(send.phoneNumber())) {
      return Mono.empty();
    }
    var policy = sendPolicy.refusal(send.phoneNumber(), send.countryCode());
    if (policy.isPresent()) {
      return refusals.refuse(
          send,
          new SendRefusals.Refusal(
              policy.get().reason(),
              policy.get().error(),
              null,
              null,
              policy.get().policyVersion()));
    }
    Mono<Void> perIp =
        sendsPerIp == null || send.ipKey() == null
            ? Mono.empty()
            : limiter
                .hit(sendsPerIp, send.ipKey())
                .onErrorResume(
                    RateLimiter.TooManyRequestsException.class,
                    e ->
                        refusals.refuse(
                            send,
                            new SendRefusals.Refusal(
                                "IP_VELOCITY",
                                e,
                                (long) sendsPerIp.max(),
                                sendsPerIp.window(),
                                null)));
    Mono<Void> perAction =
        actionAttemptId == null
            ? Mono.empty()
            : newNumbers
                .admit(NewNumbers.Scope.ACTION, actionAttemptId, send.phoneNumber())
                .flatMap(
                    refused ->
                        refusals.refuse(
                            send,
                            newNumbersRefusal(
                                "ACTION_NEW_NUMBERS",
                                refused,
                                "Codes were requested for too many phone numbers in this action;"
                                    + " try again later.")));
    Mono<Void> perUser =
        Mono.defer(
            () ->
                newNumberForUser(send)
                    .flatMap(
                        isNew ->
                            isNew
                                ? newNumbers.admit(
                                    NewNumbers.Scope.USER, send.userId(), send.phoneNumber())
                                : Mono.empty())
                    .flatMap(
                        refused ->
                            refusals.refuse(
                                send,
                                newNumbersRefusal(
                                    "USER_NEW_NUMBERS",
                                    refused,
                                    "Codes were sent to too many new phone numbers for this user;"
                                        + " try again later."))));
    return perIp.then(Mono.defer(() -> perAction)).then(perUser);
  }

  private static SendRefusals.Refusal newNumbersRefusal(
      String reason, NewNumbers.Refused refused, String description) {
    return new SendRefusals.Refusal(
        reason,
        new RateLimiter.TooManyRequestsException(description, refused.retryAfterSeconds()),
        (long) refused.max(),
        refused.window(),
        null);
  }

  /**
   * Whether a send counts towards the user's new numbers: an enrolment or a number change always
   * does; a code for a tracked action goes to the user's enrolled number and never does; a server
   * API challenge that names the user does unless the number is one of the user's SMS
   * authenticators.
   */
  private Mono<Boolean> newNumberForUser(SendRefusals.Send send) {
    if (send.userId() == null || newNumbers.max(NewNumbers.Scope.USER) <= 0) {
      return Mono.just(false);
    }
    if ("ENROLMENT".equals(send.purpose()) || "NUMBER_CHANGE".equals(send.purpose())) {
      return Mono.just(true);
    }
    if (!"SIGN_IN".equals(send.purpose())) {
      return Mono.just(false);
    }
    return users
        .find(send.userId())
        .map(
            user ->
                user.map(
                        u ->
                            u.authenticators().stream()
                                .map(SmsAuthenticator::phoneNumber)
                                .noneMatch(send.phoneNumber()::equals))
                    .orElse(true));
  }

  private static SendRefusals.Send send(
      ChallengeDocument c, int attempt, String challengeId, String correlationId) {
    return new SendRefusals.Send(
        challengeId,
        attempt,
        c.userId(),
        c.action(),
        c.purpose(),
        c.phoneNumber(),
        c.countryCode(),
        IpKey.of(c.ipAddress()),
        correlationId);
  }

  /** Issues a new challenge, or resends / returns the one the command refers to. */
  public Mono<IssuedChallenge> issue(IssueChallengeCommand command) {
    if (command.challengeId() != null) {
      return mongo
          .findById(command.challengeId(), ChallengeDocument.class, COLLECTION)
          .switchIfEmpty(
              Mono.error(new ApiException(ApiError.NOT_FOUND, "The challenge was not found.")))
          .flatMap(existing -> resend(existing, command, false));
    }
    if (command.idempotencyKey() != null) {
      return findByIdempotencyKey(command.idempotencyKey())
          .flatMap(existing -> sameRequest(existing, command).then(resend(existing, command, true)))
          .switchIfEmpty(Mono.defer(() -> create(command)));
    }
    return create(command);
  }

  private Mono<ChallengeDocument> findByIdempotencyKey(String key) {
    return mongo.findOne(
        Query.query(Criteria.where(ChallengeDocument.IDEMPOTENCY_KEY).is(key)),
        ChallengeDocument.class,
        COLLECTION);
  }

  private Mono<IssuedChallenge> create(IssueChallengeCommand command) {
    String challengeId = newChallengeId();
    String idempotencyKey =
        command.idempotencyKey() != null ? command.idempotencyKey() : UUID.randomUUID().toString();
    Instant now = clock.instant();
    String code =
        testNumbers.code(command.phoneNumber(), () -> codes.next(properties.codeLength()));
    ChallengeDocument draft =
        new ChallengeDocument(
            challengeId,
            command.verificationMethod(),
            command.channel(),
            command.phoneNumber(),
            command.countryCode(),
            command.action(),
            command.userId(),
            command.locale(),
            idempotencyKey,
            command.purpose(),
            command.userAuthenticatorId(),
            command.ipAddress(),
            hasher.hash(challengeId, code),
            ChallengeState.PENDING,
            1,
            0,
            now,
            now,
            now.plus(properties.codeLifetime()),
            null,
            null,
            null,
            List.of(),
            null);
    ChallengeRequested requested =
        ChallengeEvents.requested(
            draft,
            1,
            sealer.seal(ChallengeEvents.sealBinding(draft, 1), code),
            sealer.activeKeyId(),
            command.correlationId(),
            now);
    requested.setTestNumber(testNumbers.contains(command.phoneNumber()));
    OutboxEvent event =
        outbox.wrap(
            requested.getEventId(), Topics.CHALLENGE_REQUESTED.name(), challengeId, requested);
    ChallengeDocument document = draft.withPending(List.of(event), null);
    SendSlots.Window window = sendSlots.windowAt(command.phoneNumber(), now);

    SendRefusals.Send send = send(draft, 1, null, command.correlationId());
    // The insert is the whole write: the challenge, its event and its per-phone send slot.
    return admit(send, command.actionAttemptId())
        .then(
            Mono.defer(
                () ->
                    insertInSlot(
                            document,
                            window,
                            testNumbers.sendSlot(command.phoneNumber(), window.first()),
                            now,
                            SLOT_TRIES)
                        .onErrorResume(
                            RateLimiter.TooManyRequestsException.class,
                            e -> refusals.refuse(send, phoneRefusal(e)))))
        .flatMap(saved -> outbox.publishInBackground(COLLECTION, challengeId, saved.outbox()))
        .doOnSuccess(
            done ->
                log.info(
                    "challenge issued challengeId={} action={} attempt=1",
                    challengeId,
                    command.action()))
        .thenReturn(new IssuedChallenge(challengeId, idempotencyKey, document.expiresAt(), 1, true))
        // Two requests with the same new idempotency key raced: the loser becomes a retry.
        .onErrorResume(
            DuplicateKeyException.class,
            e ->
                findByIdempotencyKey(idempotencyKey)
                    .flatMap(
                        existing ->
                            sameRequest(existing, command).then(resend(existing, command, true))));
  }

  /**
   * Sends a new code for an existing challenge. An idempotent retry inside the cooldown returns the
   * challenge as it is and sends nothing; an explicit resend inside the cooldown is refused.
   */
  private Mono<IssuedChallenge> resend(
      ChallengeDocument existing, IssueChallengeCommand command, boolean idempotentRetry) {
    Instant now = clock.instant();
    if (existing.state() != ChallengeState.PENDING || existing.expiredAt(now)) {
      return Mono.error(
          ApiException.invalid("The challenge is no longer pending; start a new challenge."));
    }
    if (existing.failedAttempts() >= properties.limits().maxAttempts()) {
      return Mono.error(
          ApiException.invalid("The challenge failed too many times; start a new challenge."));
    }
    Instant cooldownEnds = existing.lastSentAt().plus(properties.limits().resendCooldown());
    if (cooldownEnds.isAfter(now)) {
      if (idempotentRetry) {
        return Mono.just(unchanged(existing));
      }
      return Mono.error(
          new RateLimiter.TooManyRequestsException(
              "A code was sent moments ago; wait before asking for another.",
              Math.max(1, Duration.between(now, cooldownEnds).toSeconds())));
    }
    if (existing.sends() >= properties.limits().maxSends()) {
      return Mono.error(
          new RateLimiter.TooManyRequestsException(
              "The maximum number of codes for this challenge was sent.",
              Math.max(1, Duration.between(now, existing.expiresAt()).toSeconds())));
    }

    int attempt = existing.sends() + 1;
    String code =
        testNumbers.code(existing.phoneNumber(), () -> codes.next(properties.codeLength()));
    Instant expiresAt = now.plus(properties.codeLifetime());
    ChallengeDocument resent =
        new ChallengeDocument(
            existing.id(),
            existing.verificationMethod(),
            existing.channel(),
            existing.phoneNumber(),
            existing.countryCode(),
            existing.action(),
            existing.userId(),
            command.locale() != null ? command.locale() : existing.locale(),
            existing.idempotencyKey(),
            existing.purpose(),
            existing.userAuthenticatorId(),
            command.ipAddress() != null ? command.ipAddress() : existing.ipAddress(),
            hasher.hash(existing.id(), code),
            ChallengeState.PENDING,
            attempt,
            existing.failedAttempts(),
            existing.createdAt(),
            now,
            expiresAt,
            null,
            null,
            null,
            List.of(),
            existing.sendSlots());
    ChallengeRequested requested =
        ChallengeEvents.requested(
            resent,
            attempt,
            sealer.seal(ChallengeEvents.sealBinding(resent, attempt), code),
            sealer.activeKeyId(),
            command.correlationId(),
            now);
    requested.setTestNumber(testNumbers.contains(existing.phoneNumber()));
    OutboxEvent event =
        outbox.wrap(
            requested.getEventId(), Topics.CHALLENGE_REQUESTED.name(), existing.id(), requested);
    // Conditional on the send counter and state read above: of two racing resends one wins.
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(existing.id())
                .and(ChallengeDocument.SENDS)
                .is(existing.sends())
                .and(ChallengeDocument.STATE)
                .is(ChallengeState.PENDING.name()));
    Function<String, Update> update =
        slot ->
            new Update()
                .set(ChallengeDocument.CODE_HASH, resent.codeHash())
                .set(ChallengeDocument.SENDS, attempt)
                .set(ChallengeDocument.LAST_SENT_AT, now)
                .set(ChallengeDocument.EXPIRES_AT, expiresAt)
                .set("locale", resent.locale())
                .set("ipAddress", resent.ipAddress())
                .push(Outbox.FIELD, event)
                .push(ChallengeDocument.SEND_SLOTS, slot);
    SendSlots.Window window = sendSlots.windowAt(existing.phoneNumber(), now);
    // Its own earlier sends in this window are known: the first guess skips them.
    String firstGuess =
        window
            .firstFree(existing.sendSlots() == null ? Set.of() : Set.copyOf(existing.sendSlots()))
            .orElse(window.first());
    SendRefusals.Send send = send(resent, attempt, existing.id(), command.correlationId());
    return admit(send, command.actionAttemptId())
        .then(
            Mono.defer(
                () ->
                    updateInSlot(
                            query,
                            update,
                            window,
                            testNumbers.sendSlot(existing.phoneNumber(), firstGuess),
                            now,
                            SLOT_TRIES)
                        .onErrorResume(
                            RateLimiter.TooManyRequestsException.class,
                            e -> refusals.refuse(send, phoneRefusal(e)))))
        .flatMap(
            updated ->
                outbox
                    .publishInBackground(COLLECTION, existing.id(), List.of(event))
                    .doOnSuccess(
                        done ->
                            log.info(
                                "challenge resent challengeId={} attempt={}",
                                existing.id(),
                                attempt))
                    .thenReturn(
                        new IssuedChallenge(
                            existing.id(), existing.idempotencyKey(), expiresAt, attempt, true)))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    idempotentRetry
                        ? mongo
                            .findById(existing.id(), ChallengeDocument.class, COLLECTION)
                            .map(ChallengeIssuer::unchanged)
                        : Mono.error(
                            new RateLimiter.TooManyRequestsException(
                                "A code was sent moments ago; wait before asking for another.",
                                properties.limits().resendCooldown().toSeconds()))));
  }

  /**
   * An idempotency key names one challenge: reusing it for another number or action is a client
   * bug, refused rather than answered with someone else's challenge.
   */
  private static Mono<Void> sameRequest(ChallengeDocument existing, IssueChallengeCommand command) {
    boolean samePhone =
        command.phoneNumber() == null || command.phoneNumber().equals(existing.phoneNumber());
    if (!samePhone || !command.action().equals(existing.action())) {
      return Mono.error(
          ApiException.invalid(
              "idempotencyKey was already used for a challenge with another phone number or"
                  + " action."));
    }
    return Mono.empty();
  }

  private static IssuedChallenge unchanged(ChallengeDocument existing) {
    return new IssuedChallenge(
        existing.id(), existing.idempotencyKey(), existing.expiresAt(), existing.sends(), false);
  }

  /** Inserts the new challenge holding {@code slot}; a taken slot moves on to a free one. */
  private Mono<ChallengeDocument> insertInSlot(
      ChallengeDocument document, SendSlots.Window window, String slot, Instant now, int tries) {
    return mongo
        .insert(document.withPending(document.outbox(), List.of(slot)), COLLECTION)
        .onErrorResume(
            e -> e instanceof DuplicateKeyException && SendSlots.isTakenSlot(e),
            e ->
                tries > 1
                    ? freeSlot(window, now)
                        .flatMap(next -> insertInSlot(document, window, next, now, tries - 1))
                    : Mono.error(tooManySends(window, now)));
  }

  /** Applies a resend's conditional update holding {@code slot}; a taken slot moves on. */
  private Mono<ChallengeDocument> updateInSlot(
      Query query,
      Function<String, Update> update,
      SendSlots.Window window,
      String slot,
      Instant now,
      int tries) {
    return mongo
        .findAndModify(
            query,
            update.apply(slot),
            FindAndModifyOptions.options().returnNew(true),
            ChallengeDocument.class,
            COLLECTION)
        .onErrorResume(
            e -> e instanceof DuplicateKeyException && SendSlots.isTakenSlot(e),
            e ->
                tries > 1
                    ? freeSlot(window, now)
                        .flatMap(next -> updateInSlot(query, update, window, next, now, tries - 1))
                    : Mono.error(tooManySends(window, now)));
  }

  /** The lowest slot of the window no challenge holds, or 429 when the phone used them all. */
  private Mono<String> freeSlot(SendSlots.Window window, Instant now) {
    Query query = Query.query(Criteria.where(ChallengeDocument.SEND_SLOTS).in(window.keys()));
    query.fields().include(ChallengeDocument.SEND_SLOTS);
    return mongo
        .find(query, Document.class, COLLECTION)
        .flatMapIterable(doc -> doc.getList(ChallengeDocument.SEND_SLOTS, String.class, List.of()))
        .collect(Collectors.toSet())
        .flatMap(taken -> Mono.justOrEmpty(window.firstFree(taken)))
        .switchIfEmpty(Mono.error(() -> tooManySends(window, now)));
  }

  /** The per-phone send slots were all taken: the sends-per-phone limit refused. */
  private SendRefusals.Refusal phoneRefusal(RateLimiter.TooManyRequestsException e) {
    return new SendRefusals.Refusal(
        "NUMBER_VELOCITY",
        e,
        (long) properties.limits().sendsPerPhone(),
        properties.limits().sendsWindow(),
        null);
  }

  private static RateLimiter.TooManyRequestsException tooManySends(
      SendSlots.Window window, Instant now) {
    return new RateLimiter.TooManyRequestsException(
        "Too many codes sent to this phone number; try again later.", window.secondsLeft(now));
  }

  /** 160 random bits, URL-safe: unguessable and usable in paths. */
  private String newChallengeId() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
