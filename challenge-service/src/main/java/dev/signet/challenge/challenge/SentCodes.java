package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.code.CodeGenerator;
import dev.signet.challenge.code.CodeHasher;
import dev.signet.challenge.code.CodeSealer;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.testnumber.TestNumbers;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * The code of a send: drawn (a test number's fixed code instead), kept only as its HMAC on the
 * challenge, and sealed into the requested event for the dispatcher, so the plain code exists
 * nowhere once the event is written.
 */
@Component
class SentCodes {

  private final CodeGenerator codes;
  private final CodeHasher hasher;
  private final CodeSealer sealer;
  private final TestNumbers testNumbers;
  private final Outbox outbox;
  private final SecureRandom random;
  private final int codeLength;

  SentCodes(
      CodeGenerator codes,
      CodeHasher hasher,
      CodeSealer sealer,
      TestNumbers testNumbers,
      Outbox outbox,
      SecureRandom random,
      ChallengeProperties properties) {
    this.codes = codes;
    this.hasher = hasher;
    this.sealer = sealer;
    this.testNumbers = testNumbers;
    this.outbox = outbox;
    this.random = random;
    this.codeLength = properties.codeLength();
  }

  /** A fresh code for {@code e164}: a test number's fixed code, else a random one. */
  String draw(String e164) {
    return testNumbers.code(e164, () -> codes.next(codeLength));
  }

  byte[] hash(String challengeId, String code) {
    return hasher.hash(challengeId, code);
  }

  /** The requested event of send {@code attempt} of {@code challenge}, its code sealed. */
  OutboxEvent requested(
      Challenge challenge, int attempt, String code, String correlationId, Instant now) {
    ChallengeRequested requested =
        ChallengeEvents.requested(
            challenge,
            attempt,
            sealer.seal(ChallengeEvents.sealBinding(challenge, attempt), code),
            sealer.activeKeyId(),
            correlationId,
            now);
    requested.setTestNumber(testNumbers.contains(challenge.phoneNumber()));
    return outbox.wrap(
        requested.getEventId(), Topics.CHALLENGE_REQUESTED.name(), challenge.id(), requested);
  }

  /** The per-phone send slot a send takes (a test number's own, uncounted slot). */
  String slot(String e164, String countedSlot) {
    return testNumbers.sendSlot(e164, countedSlot);
  }

  /** 160 random bits, URL-safe: unguessable and usable in paths. */
  String newChallengeId() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
