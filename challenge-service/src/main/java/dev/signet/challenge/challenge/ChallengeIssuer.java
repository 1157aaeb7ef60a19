package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeRules;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Issues and resends challenges. A code is drawn, only its HMAC is stored, and the requested event
 * that carries it sealed for the dispatcher is written in the same document write, then published.
 * A resend replaces the code (the old one dies with its hash) but keeps the failure count, and is
 * one conditional update on the send counter, so concurrent resends cannot both send. The rules
 * (cooldown, send cap, idempotency) are {@link ChallengeRules}'; the guards are {@link
 * SendGuards}'.
 */
@Component
public class ChallengeIssuer {

  private static final Logger log = LoggerFactory.getLogger(ChallengeIssuer.class);

  private final ChallengeStore store;
  private final ChallengeRules rules;
  private final SentCodes codes;
  private final SendGuards guards;
  private final SendSlots sendSlots;
  private final Outbox outbox;

  ChallengeIssuer(
      ChallengeStore store,
      ChallengeRules rules,
      SentCodes codes,
      SendGuards guards,
      Outbox outbox,
      ChallengeProperties properties) {
    this.store = store;
    this.rules = rules;
    this.codes = codes;
    this.guards = guards;
    this.outbox = outbox;
    this.sendSlots =
        new SendSlots(properties.limits().sendsPerPhone(), properties.limits().sendsWindow());
  }

  /** Issues a new challenge, or resends / returns the one the command refers to. */
  public Mono<IssuedChallenge> issue(IssueChallengeCommand command) {
    if (command.challengeId() != null) {
      return store
          .find(command.challengeId())
          .switchIfEmpty(
              Mono.error(() -> new Refusal.NotFound("The challenge was not found.").asError()))
          .flatMap(existing -> resend(existing, command, false));
    }
    if (command.idempotencyKey() != null) {
      return store
          .findByIdempotencyKey(command.idempotencyKey())
          .flatMap(existing -> retry(existing, command))
          .switchIfEmpty(Mono.defer(() -> create(command)));
    }
    return create(command);
  }

  /** A request with a used idempotency key: the same request again, or a refusal. */
  private Mono<IssuedChallenge> retry(Challenge existing, IssueChallengeCommand command) {
    return rules
        .sameRequest(existing, command.phone(), command.action())
        .<Mono<IssuedChallenge>>map(refusal -> Mono.error(refusal.asError()))
        .orElseGet(() -> resend(existing, command, true));
  }

  private Mono<IssuedChallenge> create(IssueChallengeCommand command) {
    String id = codes.newChallengeId();
    String idempotencyKey =
        command.idempotencyKey() != null ? command.idempotencyKey() : UUID.randomUUID().toString();
    String code = codes.draw(command.phoneNumber());
    Challenge challenge =
        rules.issue(
            id,
            new Challenge.Recipient(
                command.phone(), command.channel(), command.verificationMethod()),
            new Challenge.Context(
                command.action(),
                command.userId(),
                command.purpose(),
                idempotencyKey,
                command.userAuthenticatorId(),
                command.locale(),
                command.ipAddress()),
            codes.hash(id, code));
    Instant now = challenge.timeline().createdAt();
    OutboxEvent event = codes.requested(challenge, 1, code, command.correlationId(), now);
    SendSlots.Window window = sendSlots.windowAt(command.phoneNumber(), now);
    SendRefusals.Send send = SendGuards.send(challenge, 1, null, command.correlationId());
    return guards
        .admit(send, command.actionAttemptId())
        .then(
            Mono.defer(
                () ->
                    store
                        .insertInFreeSlot(
                            challenge,
                            List.of(event),
                            window,
                            codes.slot(command.phoneNumber(), window.first()),
                            now)
                        .onErrorResume(
                            Refused.class, e -> guards.refusePerPhone(send, e.refusal()))))
        .flatMap(saved -> outbox.publishInBackground(ChallengeStore.COLLECTION, id, List.of(event)))
        .doOnSuccess(
            done ->
                log.info(
                    "challenge issued challengeId={} action={} attempt=1", id, command.action()))
        .thenReturn(new IssuedChallenge(id, idempotencyKey, challenge.expiresAt(), 1, true))
        // Two requests with the same new idempotency key raced: the loser becomes a retry.
        .onErrorResume(
            ChallengeStore.DuplicateIdempotencyKey.class,
            e -> store.findByIdempotencyKey(idempotencyKey).flatMap(c -> retry(c, command)));
  }

  /**
   * Sends a new code for an existing challenge. An idempotent retry inside the cooldown returns the
   * challenge as it is and sends nothing; an explicit resend inside the cooldown is refused.
   */
  private Mono<IssuedChallenge> resend(
      Challenge existing, IssueChallengeCommand command, boolean idempotentRetry) {
    ChallengeRules.ResendDecision decision = rules.resend(existing, idempotentRetry);
    if (decision instanceof ChallengeRules.Declined declined) {
      return Mono.error(declined.refusal().asError());
    }
    if (decision instanceof ChallengeRules.Unchanged unchanged) {
      return Mono.just(unchanged(unchanged.current()));
    }
    ChallengeRules.Resend resend = (ChallengeRules.Resend) decision;
    int attempt = resend.attempt();
    String code = codes.draw(existing.phoneNumber());
    Challenge resent =
        rules.resent(
            existing,
            resend,
            codes.hash(existing.id(), code),
            command.locale(),
            command.ipAddress());
    OutboxEvent event =
        codes.requested(resent, attempt, code, command.correlationId(), resend.at());
    SendRefusals.Send send =
        SendGuards.send(resent, attempt, existing.id(), command.correlationId());
    return guards
        .admit(send, command.actionAttemptId())
        .then(Mono.defer(() -> resendInSlot(existing, resent, event, resend.at(), send)))
        .flatMap(
            updated ->
                outbox
                    .publishInBackground(ChallengeStore.COLLECTION, existing.id(), List.of(event))
                    .doOnSuccess(
                        done ->
                            log.info(
                                "challenge resent challengeId={} attempt={}",
                                existing.id(),
                                attempt))
                    .thenReturn(
                        new IssuedChallenge(
                            existing.id(),
                            existing.idempotencyKey(),
                            resent.expiresAt(),
                            attempt,
                            true)))
        // Another resend won the race: a retry gets the challenge as it is now.
        .switchIfEmpty(
            Mono.defer(
                () ->
                    idempotentRetry
                        ? store.find(existing.id()).map(ChallengeIssuer::unchanged)
                        : Mono.error(rules.lostResendRace().asError())));
  }

  /** The conditional resend update in a free send slot; its own earlier slots are skipped. */
  private Mono<Challenge> resendInSlot(
      Challenge existing,
      Challenge resent,
      OutboxEvent event,
      Instant now,
      SendRefusals.Send send) {
    SendSlots.Window window = sendSlots.windowAt(existing.phoneNumber(), now);
    String firstGuess = window.firstFree(Set.copyOf(existing.sendSlots())).orElse(window.first());
    return store
        .resendInFreeSlot(
            resent,
            existing.sends(),
            event,
            window,
            codes.slot(existing.phoneNumber(), firstGuess),
            now)
        .onErrorResume(Refused.class, e -> guards.refusePerPhone(send, e.refusal()));
  }

  private static IssuedChallenge unchanged(Challenge existing) {
    return new IssuedChallenge(
        existing.id(), existing.idempotencyKey(), existing.expiresAt(), existing.sends(), false);
  }
}
