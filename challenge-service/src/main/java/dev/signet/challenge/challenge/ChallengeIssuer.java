package dev.signet.challenge.challenge;

import dev.signet.challenge.code.CodeGenerator;
import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.code.CodeSealer;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.outbox.Outbox;
import dev.signet.challenge.outbox.OutboxEvent;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.SmsChannel;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Issues a challenge: draws a code, keeps only its HMAC, and stores the challenge together with the
 * requested event that carries the code sealed for the dispatcher, then publishes that event.
 */
@Component
class ChallengeIssuer {

  private static final Logger log = LoggerFactory.getLogger(ChallengeIssuer.class);
  static final String COLLECTION = "challenges";

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final CodeGenerator codes;
  private final CodeHasher hasher;
  private final CodeSealer sealer;
  private final ChallengeProperties properties;
  private final SecureRandom random;
  private final Clock clock;

  ChallengeIssuer(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      CodeGenerator codes,
      CodeHasher hasher,
      CodeSealer sealer,
      ChallengeProperties properties,
      SecureRandom random,
      Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.codes = codes;
    this.hasher = hasher;
    this.sealer = sealer;
    this.properties = properties;
    this.random = random;
    this.clock = clock;
  }

  Mono<IssuedChallenge> issue(IssueChallengeCommand command) {
    String challengeId = newChallengeId();
    String idempotencyKey =
        command.idempotencyKey() != null ? command.idempotencyKey() : UUID.randomUUID().toString();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(properties.codeLifetime());
    String code = codes.next(properties.codeLength());

    ChallengeRequested requested =
        ChallengeRequested.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setOccurredAt(now)
            .setCorrelationId(command.correlationId())
            .setChallengeId(challengeId)
            .setAttempt(1)
            .setPhoneNumber(command.phoneNumber())
            .setChannel(SmsChannel.valueOf(command.channel()))
            .setAction(command.action())
            .setUserId(command.userId())
            .setLocale(command.locale())
            .setExpiresAt(expiresAt)
            .setSealedCode(ByteBuffer.wrap(sealer.seal(challengeId, code)))
            .setSealKeyId(sealer.activeKeyId())
            .build();
    OutboxEvent event =
        outbox.wrap(
            requested.getEventId(), Topics.CHALLENGE_REQUESTED.name(), challengeId, requested);

    ChallengeDocument document =
        new ChallengeDocument(
            challengeId,
            command.verificationMethod(),
            command.channel(),
            command.phoneNumber(),
            command.action(),
            command.userId(),
            command.locale(),
            idempotencyKey,
            hasher.hash(challengeId, code),
            1,
            0,
            now,
            now,
            expiresAt,
            List.of(event));

    return mongo
        .insert(document, COLLECTION)
        .flatMap(saved -> outbox.publish(COLLECTION, challengeId, saved.outbox()))
        .doOnSuccess(
            done ->
                log.info(
                    "challenge issued challengeId={} action={} attempt=1",
                    challengeId,
                    command.action()))
        .thenReturn(new IssuedChallenge(challengeId, idempotencyKey, expiresAt));
  }

  /** 160 random bits, URL-safe: unguessable and usable in paths. */
  private String newChallengeId() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
